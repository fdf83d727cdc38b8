import type { EntityManager } from '../db/database.js';
import { Business, CallbackTask, ConversationMessage, Lead, StaffMember } from '../entities/index.js';
import type { LoggedEvent } from '../integration/integration-events.js';
import type { AlertTrigger } from './alert-triggers.js';
import { cleanForMessage, oneLine, renderStaffTemplate } from './email-templates.js';
import { localDateTime, shortLocalTime } from './local-format.js';

export interface RenderedAlert {
  sms: string;
  subject: string;
  text: string;
  html: string;
}

const TITLES: Record<AlertTrigger, string> = {
  'lead.created': 'New lead',
  'lead.hot': 'Hot lead',
  'caller.urgent': 'Urgent caller',
  'caller.asked_for_person': 'Caller asked for a person',
  'conversation.escalated': 'Conversation needs a person',
  'message.received': 'New text from a caller',
  'booking.created': 'Booking made',
  'booking.cancelled': 'Booking cancelled',
  'callback.created': 'New callback',
  'callback.overdue': 'Callback overdue',
  'callback.overdue.manager': 'Callback still overdue (escalated to you)',
  'delivery.failed': 'A text to a caller failed',
  'voicemail.transcribed': 'New voicemail',
  'optout.recorded': 'Caller opted out',
  'system.part_down': 'Down',
  'system.part_up': 'Back up',
};

const PART_NAMES: Record<string, string> = { ari: 'Phone system link (ARI)', smpp: 'SMS gateway (SMPP)', ami: 'Phone system events (AMI)' };

/** Longest caller text an SMS alert quotes; e-mails carry it whole (bounded). */
const SMS_QUOTE_CHARS = 120;
const EMAIL_QUOTE_CHARS = 4000;

/**
 * Reads what an alert says about an event (the lead, its callback, what the
 * caller said) and renders every part of it: the staff text, the e-mail's
 * subject, plain-text and HTML bodies. Runs in the dispatcher's transaction
 * (database reads only).
 */
export async function renderAlert(
  em: EntityManager,
  business: Business,
  event: LoggedEvent,
  trigger: AlertTrigger,
  now: Date = new Date(),
): Promise<RenderedAlert> {
  const data = event.data;
  const str = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);
  const lead = event.leadId ? await em.findOne(Lead, { id: event.leadId }) : null;
  const taskId = str('callback_task_id');
  const task = taskId
    ? await em.findOne(CallbackTask, { id: taskId })
    : lead
      ? await em.findOne(CallbackTask, { leadId: lead.id, status: { $ne: 'done' } })
      : null;
  const assignee = task?.claimedBy ? await em.findOne(StaffMember, { id: task.claimedBy }) : null;
  const said = await whatTheCallerSaid(em, event, trigger);
  const zone = business.timeZone;
  const callerPhone = lead?.phoneE164 ?? str('phone') ?? (lead ? 'withheld number' : null);

  let title = TITLES[trigger];
  let part: string | null = null;
  if (trigger === 'system.part_down' || trigger === 'system.part_up') {
    const name = PART_NAMES[str('part') ?? ''] ?? str('part') ?? 'a part';
    title = `${name} ${trigger === 'system.part_down' ? 'down' : 'back up'}`;
    const since = str('down_since');
    part = since ? `Down since ${shortLocalTime(new Date(since), zone, now)}.` : null;
  }

  const facts: { label: string; value: string }[] = [];
  if (callerPhone) facts.push({ label: 'Caller', value: oneLine(callerPhone, 40) });
  if (lead?.source) facts.push({ label: 'Campaign', value: oneLine(lead.source, 80) });
  if (task) {
    facts.push({ label: 'Callback reason', value: task.reason });
    facts.push({ label: 'Callback due', value: localDateTime(task.dueAt, zone) });
    if (assignee) facts.push({ label: 'With', value: oneLine(assignee.name, 120) });
  }
  const reason = str('reason');
  if (reason && trigger !== 'callback.created') facts.push({ label: 'Reason', value: oneLine(reason, 200) });
  if (trigger === 'booking.created' || trigger === 'booking.cancelled') {
    const starts = str('starts_at') ?? str('start');
    if (starts && !Number.isNaN(Date.parse(starts))) facts.push({ label: 'When', value: localDateTime(new Date(starts), zone) });
  }
  if (trigger === 'delivery.failed') facts.push({ label: 'Delivery', value: oneLine(`${str('status') ?? 'failed'} ${str('error') ?? ''}`, 200) });
  if (part) facts.push({ label: 'Outage', value: part });
  facts.push({ label: 'When', value: localDateTime(event.createdAt, zone) });
  if (lead) facts.push({ label: 'Lead', value: lead.id });

  const common = {
    business: oneLine(business.name, 80),
    title,
    caller: callerPhone ? oneLine(callerPhone, 40) : '',
    due: task && (trigger.startsWith('caller.') || trigger.startsWith('callback.') || trigger === 'lead.hot' || trigger === 'voicemail.transcribed')
      ? shortLocalTime(task.dueAt, zone, now)
      : '',
    part: part ?? '',
  };
  return {
    sms: oneLine(renderStaffTemplate('alertSms', { ...common, said: said ? oneLine(said.text, SMS_QUOTE_CHARS) : '' }), 480),
    subject: oneLine(renderStaffTemplate('alertSubject', common), 200),
    text: renderStaffTemplate('alertText', { ...common, facts, said: said ? cleanForMessage(said.text, EMAIL_QUOTE_CHARS) : '', saidLabel: said?.label }),
    html: renderStaffTemplate('alertHtml', { ...common, facts, said: said ? cleanForMessage(said.text, EMAIL_QUOTE_CHARS) : '', saidLabel: said?.label }),
  };
}

/** The caller's own words the alert quotes: the text they sent, the voicemail transcript, the engine's summary. */
async function whatTheCallerSaid(em: EntityManager, event: LoggedEvent, trigger: AlertTrigger): Promise<{ label: string; text: string } | null> {
  const data = event.data;
  const str = (key: string) => (typeof data[key] === 'string' && (data[key] as string).trim() ? (data[key] as string) : null);
  if (trigger === 'voicemail.transcribed') {
    const transcript = str('transcript');
    return { label: 'Voicemail transcript', text: transcript ?? '(no transcript: listen to the recording)' };
  }
  if (trigger === 'message.received') {
    const body = str('body');
    return body ? { label: 'Their text', text: body } : null;
  }
  const summary = str('summary') ?? str('message');
  if (summary) return { label: 'Summary', text: summary };
  if (event.leadId && (trigger.startsWith('caller.') || trigger === 'conversation.escalated' || trigger === 'lead.hot')) {
    const last = await em.findOne(ConversationMessage, { leadId: event.leadId, direction: 'in' }, { orderBy: { createdAt: 'desc' } });
    if (last) return { label: 'Their last text', text: last.body };
  }
  return null;
}
