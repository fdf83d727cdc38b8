import type { LoggedEvent } from '../integration/integration-events.js';

/**
 * What an alert rule can be about. Most are integration events by name; a few
 * are read out of one: `conversation.escalated` says why (an urgent caller, a
 * caller who asked for a person, a hot lead), `callback.overdue` says which
 * step (the assignee, then the manager).
 */
export const ALERT_TRIGGERS = [
  'lead.created',
  'lead.hot',
  'caller.urgent',
  'caller.asked_for_person',
  'conversation.escalated',
  'message.received',
  'booking.created',
  'booking.cancelled',
  'callback.created',
  'callback.overdue',
  'callback.overdue.manager',
  'delivery.failed',
  'voicemail.transcribed',
  'optout.recorded',
  'system.part_down',
  'system.part_up',
] as const;
export type AlertTrigger = (typeof ALERT_TRIGGERS)[number];

/** The alert trigger an event is, or null when nobody is ever alerted about it (a consent record, a staff text that failed). */
export function triggerOf(event: LoggedEvent): AlertTrigger | null {
  const data = event.data;
  switch (event.type) {
    case 'conversation.escalated':
      return escalationTrigger(typeof data.reason === 'string' ? data.reason : '');
    case 'callback.overdue':
      return data.level === 'manager' ? 'callback.overdue.manager' : 'callback.overdue';
    case 'delivery.failed':
      // A staff alert that failed is visible in GET /api/notifications; alerting about it would loop.
      return data.kind === 'staff' ? null : 'delivery.failed';
    default:
      return (ALERT_TRIGGERS as readonly string[]).includes(event.type) ? (event.type as AlertTrigger) : null;
  }
}

/** The conversation engine's escalation reason, read loosely: its wording is the engine's, the alert is ours. */
export function escalationTrigger(reason: string): AlertTrigger {
  if (/urgent|emergenc/i.test(reason)) return 'caller.urgent';
  if (/human|person|staff|agent|operator|someone|call_?back/i.test(reason)) return 'caller.asked_for_person';
  if (/hot|qualified/i.test(reason)) return 'lead.hot';
  return 'conversation.escalated';
}
