import { randomUUID } from 'node:crypto';
import type { Database, EntityManager } from '../db/database.js';
import { Business, Notification, type NotificationChannel, type StaffMember } from '../entities/index.js';
import { EventConsumer } from '../integration/event-consumer.js';
import type { EventBatch, LoggedEvent } from '../integration/integration-events.js';
import type { Logger } from '../logging.js';
import { queueText } from '../messaging/queue-text.js';
import { renderAlert, type RenderedAlert } from './alert-content.js';
import { triggerOf } from './alert-triggers.js';
import { loadAlertRules, type AlertRule } from './notification-rules.js';
import { resolveRecipients } from './recipients.js';

export const NOTIFICATION_CONSUMER = 'staff-notifications';

export interface DispatcherSettings {
  /** The sender id staff texts go from when the business has none (SMPP_SOURCE_ADDR). */
  defaultSenderId: string;
  /** The clock (who is on call now); tests pass a fixed one. */
  now?: () => Date;
}

export interface DispatchResult {
  texts: number;
  emails: number;
}

/**
 * Turns events into notification rows in the batch's own transaction: for each
 * event, the business's rules for it (or the defaults), the people they name,
 * and one row per person and channel. Texts are queued in the outbox right
 * here (kind `staff`: the outbox's compliance gate still runs, staff texts skip
 * quiet hours and caps); e-mails wait for the sender. No network in here.
 */
export async function dispatchEvents(batch: EventBatch, settings: DispatcherSettings): Promise<DispatchResult> {
  const { tx } = batch;
  const result: DispatchResult = { texts: 0, emails: 0 };
  const rulesByBusiness = new Map<string, AlertRule[]>();
  const businesses = new Map<string, Business | null>();
  const now = settings.now?.() ?? new Date();
  for (const event of batch.events) {
    const trigger = triggerOf(event);
    if (!trigger) continue;
    let rules = rulesByBusiness.get(event.businessId);
    if (!rules) {
      rules = (await loadAlertRules(tx, event.businessId)).rules;
      rulesByBusiness.set(event.businessId, rules);
    }
    const matching = rules.filter((rule) => rule.event === trigger && rule.channels.length > 0);
    if (matching.length === 0) continue;
    if (!businesses.has(event.businessId)) businesses.set(event.businessId, await tx.findOne(Business, { id: event.businessId }));
    const business = businesses.get(event.businessId);
    if (!business) continue;

    const sends = new Map<string, { staff: StaffMember; channel: NotificationChannel }>();
    for (const rule of matching) {
      for (const staff of await resolveRecipients(tx, business, event, rule, now)) {
        for (const channel of rule.channels) sends.set(`${staff.id}:${channel}`, { staff, channel });
      }
    }
    let rendered: RenderedAlert | null = null;
    for (const { staff, channel } of sends.values()) {
      const address = channel === 'text' ? staff.phoneE164 : staff.email;
      if (!address) continue;
      rendered ??= await renderAlert(tx, business, event, trigger, now);
      await writeAlert(tx, { business, event, trigger, staff, channel, address, rendered, now, settings });
      if (channel === 'text') result.texts += 1;
      else result.emails += 1;
    }
  }
  return result;
}

interface AlertToWrite {
  business: Business;
  event: LoggedEvent;
  trigger: string;
  staff: StaffMember;
  channel: NotificationChannel;
  address: string;
  rendered: RenderedAlert;
  now: Date;
  settings: DispatcherSettings;
}

async function writeAlert(tx: EntityManager, alert: AlertToWrite): Promise<void> {
  const { business, event, staff, channel, rendered, now } = alert;
  const row = Object.assign(new Notification(), {
    id: randomUUID(),
    businessId: business.id,
    staffMemberId: staff.id,
    kind: 'alert' as const,
    trigger: alert.trigger,
    channel,
    // The consumer reads each event once; the key keeps a retried batch (rolled back) and resends honest.
    dedupeKey: `alert:${event.id}:${staff.id}:${channel}`,
    eventId: event.id,
    leadId: event.leadId,
    toAddress: alert.address,
    subject: rendered.subject,
    bodyText: channel === 'text' ? rendered.sms : rendered.text,
    bodyHtml: channel === 'email' ? rendered.html : null,
    status: 'queued' as const,
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  });
  if (channel === 'text') {
    handTextToOutbox(tx, row, business, alert.settings.defaultSenderId, now);
    // The outbox row first: the notification refers to it.
    await tx.flush();
  }
  tx.persist(row);
}

/**
 * Queues a staff text for a notification row and marks the row handed over:
 * from here the outbox owns delivery (its status is the notification's
 * `delivery`). No lead on the outbox row: an alert to staff is not part of the
 * caller's conversation.
 */
export function handTextToOutbox(tx: EntityManager, row: Notification, business: Business, defaultSenderId: string, now: Date): void {
  const text = queueText(tx, {
    businessId: business.id,
    toE164: row.toAddress,
    fromAddr: business.senderId ?? defaultSenderId,
    kind: 'staff',
    body: row.bodyText,
    author: 'system',
  });
  row.outboxId = text.id;
  row.status = 'sent';
  row.attempts += 1;
  row.sentAt = now;
  row.lastError = null;
}

export interface NotificationDispatcherOptions extends DispatcherSettings {
  db: Database;
  logger: Logger;
  pollMs?: number;
  /** Told after a batch queued something (wake the outbox and the e-mail sender). */
  onQueued?: (result: DispatchResult) => void;
}

/** The dispatcher as a consumer of the event log, under its own name (one position for every instance). */
export function createNotificationDispatcher(options: NotificationDispatcherOptions): EventConsumer {
  return new EventConsumer({
    db: options.db,
    name: NOTIFICATION_CONSUMER,
    logger: options.logger,
    pollMs: options.pollMs,
    handle: async (batch) => {
      const result = await dispatchEvents(batch, options);
      if (result.texts + result.emails > 0) {
        options.logger.info({ texts: result.texts, emails: result.emails, events: batch.events.length }, 'staff alerts queued');
        // After the commit, most likely; if not, the workers' next poll finds them.
        setTimeout(() => options.onQueued?.(result), 20).unref?.();
      }
    },
  });
}
