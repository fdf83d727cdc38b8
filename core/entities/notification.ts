import { EntitySchema } from '@mikro-orm/core';

export type NotificationKind = 'alert' | 'digest' | 'report';
export type NotificationChannel = 'text' | 'email';
/** queued → sending → sent; a failed attempt goes back to queued with a later next_attempt_at, `failed` after the last. */
export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface NotificationAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * One message to one staff member: an instant alert, a digest or a weekly
 * report. Written in the transaction of what causes it; sent by a worker that
 * claims it (texts are handed to the outbox, e-mail goes over SMTP). The unique
 * `dedupeKey` makes "once" hold across retries and instances.
 */
export class Notification {
  id!: string;
  businessId!: string;
  staffMemberId?: string | null;
  kind!: NotificationKind;
  /** What it is about: an alert rule's event (`lead.hot`, `callback.overdue`, ...), `digest`, `weekly_report`. */
  trigger!: string;
  channel!: NotificationChannel;
  dedupeKey!: string;
  eventId?: string | null;
  leadId?: string | null;
  toAddress!: string;
  subject!: string;
  bodyText!: string;
  bodyHtml?: string | null;
  attachments?: NotificationAttachment[] | null;
  status!: NotificationStatus;
  attempts: number = 0;
  nextAttemptAt!: Date;
  leaseUntil?: Date | null;
  lastError?: string | null;
  outboxId?: string | null;
  createdAt!: Date;
  sentAt?: Date | null;
}

export const NotificationSchema = new EntitySchema<Notification>({
  class: Notification,
  tableName: 'notification',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    staffMemberId: { type: 'uuid', nullable: true },
    kind: { type: 'string' },
    trigger: { type: 'string' },
    channel: { type: 'string' },
    dedupeKey: { type: 'string' },
    eventId: { type: 'uuid', nullable: true },
    leadId: { type: 'uuid', nullable: true },
    toAddress: { type: 'string' },
    subject: { type: 'string' },
    bodyText: { type: 'text' },
    bodyHtml: { type: 'text', nullable: true },
    attachments: { type: 'json', nullable: true },
    status: { type: 'string' },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'Date' },
    leaseUntil: { type: 'Date', nullable: true },
    lastError: { type: 'string', nullable: true },
    outboxId: { type: 'uuid', nullable: true },
    createdAt: { type: 'Date' },
    sentAt: { type: 'Date', nullable: true },
  },
});

/** A business's alert rules (core/notifications/notification-rules.ts); no row: the defaults. */
export class NotificationPolicy {
  businessId!: string;
  rules!: unknown[];
  updatedAt!: Date;
}

export const NotificationPolicySchema = new EntitySchema<NotificationPolicy>({
  class: NotificationPolicy,
  tableName: 'notification_policy',
  properties: {
    businessId: { type: 'uuid', primary: true },
    rules: { type: 'json' },
    updatedAt: { type: 'Date' },
  },
});

/** Someone on call on some weekdays between two times, in the business's zone (an end at or before the start runs past midnight). */
export class OnCallShift {
  id!: string;
  businessId!: string;
  staffMemberId!: string;
  /** ISO weekdays the shift starts on, 1 = Monday ... 7 = Sunday. */
  days!: number[];
  startTime!: string;
  endTime!: string;
  createdAt!: Date;
}

export const OnCallShiftSchema = new EntitySchema<OnCallShift>({
  class: OnCallShift,
  tableName: 'on_call_shift',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    staffMemberId: { type: 'uuid' },
    days: { type: 'smallint[]', columnType: 'smallint[]' },
    startTime: { type: 'string' },
    endTime: { type: 'string' },
    createdAt: { type: 'Date' },
  },
});
