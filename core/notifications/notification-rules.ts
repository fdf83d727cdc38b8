import type { EntityManager } from '../db/database.js';
import { NotificationPolicy } from '../entities/index.js';
import { ALERT_TRIGGERS, type AlertTrigger } from './alert-triggers.js';

export const RECIPIENT_GROUPS = ['on_call', 'manager', 'assignee'] as const;
/**
 * on_call: whoever the rota says is on call at that moment (core/notifications/on-call.ts);
 * manager: the business's managers; assignee: the staff member holding the lead's
 * callback task (whoever is on call when nobody holds it).
 */
export type RecipientGroup = (typeof RECIPIENT_GROUPS)[number];
export const ALERT_CHANNELS = ['text', 'email'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** One instant alert: when this happens, tell these people, this way. Everything else waits for the digest. */
export interface AlertRule {
  event: AlertTrigger;
  recipients: RecipientGroup[];
  staffIds: string[];
  channels: AlertChannel[];
}

/**
 * What a business without rules of its own gets, so the product alerts out of
 * the box: urgent callers, callers asking for a person, escalations and hot
 * leads reach whoever is on call by text at once; a voicemail by e-mail (the
 * transcript is too long for a text); an overdue callback its assignee, then
 * the manager; an outage the manager and whoever is on call. The rest (new
 * leads, bookings, failed deliveries, ...) is in the daily digest.
 */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { event: 'caller.urgent', recipients: ['on_call'], staffIds: [], channels: ['text', 'email'] },
  { event: 'caller.asked_for_person', recipients: ['on_call'], staffIds: [], channels: ['text'] },
  { event: 'conversation.escalated', recipients: ['on_call'], staffIds: [], channels: ['text'] },
  { event: 'lead.hot', recipients: ['on_call'], staffIds: [], channels: ['text'] },
  { event: 'voicemail.transcribed', recipients: ['on_call'], staffIds: [], channels: ['email'] },
  { event: 'callback.overdue', recipients: ['assignee'], staffIds: [], channels: ['text'] },
  { event: 'callback.overdue.manager', recipients: ['manager'], staffIds: [], channels: ['text', 'email'] },
  { event: 'system.part_down', recipients: ['manager', 'on_call'], staffIds: [], channels: ['text', 'email'] },
  { event: 'system.part_up', recipients: ['manager', 'on_call'], staffIds: [], channels: ['text', 'email'] },
];

/** The business's rules and whether they are its own or the defaults. */
export async function loadAlertRules(em: EntityManager, businessId: string): Promise<{ rules: AlertRule[]; custom: boolean }> {
  const policy = await em.findOne(NotificationPolicy, { businessId });
  if (!policy) return { rules: DEFAULT_ALERT_RULES.map((rule) => ({ ...rule })), custom: false };
  return { rules: policy.rules.map(readStoredRule).filter((rule): rule is AlertRule => rule !== null), custom: true };
}

/** Stored rules were validated when saved; anything unreadable (a trigger removed since) is skipped, not fatal. */
function readStoredRule(value: unknown): AlertRule | null {
  if (!value || typeof value !== 'object') return null;
  const rule = value as Record<string, unknown>;
  if (!(ALERT_TRIGGERS as readonly string[]).includes(String(rule.event))) return null;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    event: rule.event as AlertTrigger,
    recipients: list(rule.recipients).filter((r): r is RecipientGroup => (RECIPIENT_GROUPS as readonly string[]).includes(r)),
    staffIds: list(rule.staff_ids),
    channels: list(rule.channels).filter((c): c is AlertChannel => (ALERT_CHANNELS as readonly string[]).includes(c)),
  };
}

/** As the API and the database hold a rule (snake_case). */
export function ruleToJson(rule: AlertRule): { event: string; recipients: string[]; staff_ids: string[]; channels: string[] } {
  return { event: rule.event, recipients: [...rule.recipients], staff_ids: [...rule.staffIds], channels: [...rule.channels] };
}
