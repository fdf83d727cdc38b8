import { randomUUID } from 'node:crypto';
import type { Database, EntityManager } from '../db/database.js';
import { Business, StaffMember } from '../entities/index.js';
import { instantOf, isoDate, localDayAndMinute } from '../hours/local-time.js';
import { parseTimeOfDay } from '../hours/schedule-types.js';
import { oneLine, renderStaffTemplate } from './email-templates.js';
import { localDate, localDateTime, shortLocalTime } from './local-format.js';

/** A digest more than this late (the app was down at the time) is skipped, not sent hours late. */
const DIGEST_GRACE_MS = 6 * 3_600_000;
const MAX_LEADS = 200;
const MAX_CALLBACKS = 100;

export interface DigestSlot {
  /** The business-local date the digest is for. */
  date: string;
  /** When it is due, and the start of the period it covers (the previous day's digest time). */
  at: Date;
  since: Date;
}

/**
 * The digest a staff member should have had most recently at `now`: today's at
 * their digest time in the business's zone if that has passed, else
 * yesterday's. Local days are counted as calendar days, so 08:00 stays 08:00
 * on both sides of a DST change (the period it covers is then 23 or 25 hours).
 * A time skipped by a spring-forward gap is the moment the clocks jump.
 */
export function latestDigestSlot(digestTime: string, timeZone: string, now: Date): DigestSlot {
  const minute = parseTimeOfDay(digestTime) ?? 8 * 60;
  const { day } = localDayAndMinute(now.getTime(), timeZone);
  let slotDay = day;
  if (instantOf(slotDay, minute, timeZone) > now.getTime()) slotDay -= 1;
  return {
    date: isoDate(slotDay),
    at: new Date(instantOf(slotDay, minute, timeZone)),
    since: new Date(instantOf(slotDay - 1, minute, timeZone)),
  };
}

/**
 * Queues every digest that is due: one per staff member (with an e-mail and a
 * digest time) per local day. The row's unique key `digest:<staff>:<date>`
 * makes it once, however many instances run this at the same moment (the
 * insert does nothing on conflict). Content is read at the moment it is queued.
 */
export async function queueDueDigests(db: Database, now: Date): Promise<number> {
  const em = db.fork();
  const staff = await em.find(StaffMember, { businessId: { $ne: null }, email: { $ne: null }, digestTime: { $ne: null }, disabledAt: null });
  if (staff.length === 0) return 0;
  const businesses = new Map((await em.find(Business, { id: { $in: [...new Set(staff.map((s) => s.businessId!))] } })).map((b) => [b.id, b]));
  let queued = 0;
  for (const member of staff) {
    const business = businesses.get(member.businessId!);
    if (!business || !member.email || !member.digestTime) continue;
    const slot = latestDigestSlot(member.digestTime, business.timeZone, now);
    if (now.getTime() - slot.at.getTime() > DIGEST_GRACE_MS) continue;
    const key = `digest:${member.id}:${slot.date}`;
    const fork = db.fork();
    const [exists] = await fork.getConnection().execute<{ n: number }[]>(`select 1 as n from notification where dedupe_key = ?`, [key]);
    if (exists) continue;
    const content = await renderDigest(fork, business, member, slot, now);
    const inserted = await fork.getConnection().execute<{ id: string }[]>(
      `insert into notification (id, business_id, staff_member_id, kind, trigger, channel, dedupe_key, to_address, subject,
                                 body_text, body_html, status, attempts, next_attempt_at, created_at)
       values (?, ?, ?, 'digest', 'digest', 'email', ?, ?, ?, ?, ?, 'queued', 0, ?, ?)
       on conflict (dedupe_key) do nothing returning id`,
      [randomUUID(), business.id, member.id, key, member.email, content.subject, content.text, content.html, now, now],
    );
    queued += inserted.length;
  }
  return queued;
}

interface LeadRow {
  id: string;
  created_at: Date | string;
  phone_e164: string | null;
  caller_raw: string | null;
  source: string | null;
  status: string;
  call_outcome: string | null;
  texted: boolean;
  replied: boolean;
  task_status: string | null;
  task_outcome: string | null;
  booked: boolean;
  voicemail: boolean;
}

interface CallbackRow {
  due_at: Date | string;
  phone_e164: string | null;
  caller_raw: string | null;
  reason: string;
  assignee: string | null;
  transcript: string | null;
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

/** The digest's content: new leads in its period with their outcome so far, open callbacks by due time, and what else happened. */
export async function renderDigest(em: EntityManager, business: Business, member: StaffMember, slot: DigestSlot, now: Date): Promise<RenderedDigest> {
  const raw = em.getConnection();
  const conn = { execute: <T>(sql: string, params: unknown[]) => raw.execute(sql, params, 'all', em.getTransactionContext()) as Promise<T> };
  const leads = await conn.execute<LeadRow[]>(
    `select l.id, l.created_at, l.phone_e164, l.caller_raw, l.source, l.status,
            (select c.outcome from call c where c.lead_id = l.id order by c.entered_at desc limit 1) as call_outcome,
            exists (select 1 from outbox_message o where o.lead_id = l.id and o.kind = 'acknowledgement'
                     and o.status in ('submitted', 'delivered', 'unknown')) as texted,
            exists (select 1 from conversation_message m where m.lead_id = l.id and m.direction = 'in') as replied,
            t.status as task_status, t.outcome as task_outcome,
            exists (select 1 from integration_event e where e.lead_id = l.id and e.type = 'booking.created') as booked,
            exists (select 1 from voicemail v where v.lead_id = l.id) as voicemail
       from lead l
       left join lateral (select status, outcome from callback_task ct where ct.lead_id = l.id order by ct.created_at desc limit 1) t on true
      where l.business_id = ? and l.created_at >= ? and l.created_at < ?
      order by l.created_at limit ?`,
    [business.id, slot.since, slot.at, MAX_LEADS],
  );
  const callbacks = await conn.execute<CallbackRow[]>(
    `select t.due_at, t.phone_e164, t.caller_raw, t.reason, s.name as assignee,
            (select v.transcript from voicemail v where v.lead_id = t.lead_id order by v.created_at desc limit 1) as transcript
       from callback_task t left join staff_member s on s.id = t.claimed_by
      where t.business_id = ? and t.status <> 'done'
      order by t.due_at, t.id limit ?`,
    [business.id, MAX_CALLBACKS],
  );
  const [openCount] = await conn.execute<{ n: string }[]>(`select count(*) as n from callback_task where business_id = ? and status <> 'done'`, [
    business.id,
  ]);
  const counts = await conn.execute<{ type: string; n: string }[]>(
    `select type, count(*) as n from integration_event
      where business_id = ? and created_at >= ? and created_at < ?
        and type in ('booking.created', 'booking.cancelled', 'voicemail.transcribed', 'delivery.failed', 'callback.overdue',
                     'conversation.escalated', 'optout.recorded', 'system.part_down')
      group by type order by type`,
    [business.id, slot.since, slot.at],
  );
  const zone = business.timeZone;
  const labels: Record<string, string> = {
    'booking.created': 'Bookings made',
    'booking.cancelled': 'Bookings cancelled',
    'voicemail.transcribed': 'Voicemails',
    'delivery.failed': 'Texts that could not be delivered',
    'callback.overdue': 'Overdue callback alerts',
    'conversation.escalated': 'Conversations handed to staff',
    'optout.recorded': 'Opt-outs',
    'system.part_down': 'Outages',
  };
  const view = {
    business: oneLine(business.name, 80),
    recipient: oneLine(member.name, 120),
    date: slot.date,
    since: localDateTime(slot.since, zone),
    newLeadCount: leads.length,
    newLeads: leads.map((lead) => ({
      time: shortLocalTime(new Date(lead.created_at), zone, slot.at),
      caller: oneLine(lead.phone_e164 ?? (lead.caller_raw ? `withheld (${lead.caller_raw})` : 'withheld'), 60),
      source: oneLine(lead.source, 60),
      outcome: describeOutcome(lead),
    })),
    openCallbackCount: Number(openCount?.n ?? 0),
    openCallbacks: callbacks.map((task) => {
      const due = new Date(task.due_at);
      return {
        due: shortLocalTime(due, zone, now),
        overdue: due.getTime() < now.getTime(),
        caller: oneLine(task.phone_e164 ?? 'withheld', 40),
        reason: task.reason.replace(/_/g, ' '),
        assignee: oneLine(task.assignee, 80),
        voicemail: oneLine(task.transcript, 200),
      };
    }),
    happenings: counts.map((row) => ({ label: labels[row.type] ?? row.type, count: Number(row.n) })),
  };
  return {
    subject: oneLine(renderStaffTemplate('digestSubject', { ...view, date: localDate(slot.at, zone) }), 200),
    text: renderStaffTemplate('digestText', view),
    html: renderStaffTemplate('digestHtml', view),
  };
}

/** A lead's story so far, in words a receptionist reads at a glance. */
export function describeOutcome(lead: Pick<LeadRow, 'status' | 'call_outcome' | 'texted' | 'replied' | 'task_status' | 'task_outcome' | 'booked' | 'voicemail'>): string {
  const parts: string[] = [];
  const outcome: Record<string, string> = {
    consented: 'agreed to texts',
    callback_requested: 'asked for a call back',
    declined: 'declined texts',
    landline: 'landline',
    no_response: 'no choice in the IVR',
    hung_up: 'hung up in the IVR',
    withheld_number: 'withheld number',
    abandoned: 'hung up while ringing',
    voicemail: 'reached voicemail',
    app_unavailable: 'app was unavailable',
  };
  if (lead.call_outcome) parts.push(outcome[lead.call_outcome] ?? lead.call_outcome.replace(/_/g, ' '));
  if (lead.voicemail) parts.push('left a message');
  if (lead.texted) parts.push('texted');
  if (lead.replied) parts.push('replied');
  if (lead.booked) parts.push('booked');
  if (lead.task_outcome) parts.push(`called back: ${lead.task_outcome.replace(/_/g, ' ')}`);
  else if (lead.task_status && lead.task_status !== 'done') parts.push('callback open');
  if (lead.status === 'opted_out') parts.push('opted out');
  return parts.join(', ') || lead.status;
}
