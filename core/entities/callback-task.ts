import { EntitySchema } from '@mikro-orm/core';

export type CallbackReason =
  | 'callback_requested'
  | 'no_response'
  | 'hung_up_in_ivr'
  | 'withheld_number'
  | 'landline'
  | 'declined_texts'
  | 'urgent'
  | 'no_reply'
  | 'abandoned'
  | 'failed_delivery'
  /** The caller reached voicemail instead of a person (AMI Cdr). */
  | 'voicemail'
  /** The Stasis app was not there (STASISSTATUS=FAILED) or Dial() could not ring anyone: the caller got voicemail. */
  | 'app_unavailable';

export class CallbackTask {
  id!: string;
  businessId!: string;
  leadId!: string;
  callId?: string | null;
  phoneE164?: string | null;
  callerRaw?: string | null;
  reason!: CallbackReason;
  status!: 'open' | 'claimed' | 'done';
  priority: number = 0;
  attempts: number = 0;
  dueAt!: Date;
  createdAt!: Date;
  closedAt?: Date | null;
  /** The staff member working it (status `claimed`). */
  claimedBy?: string | null;
  claimedAt?: Date | null;
  firstAttemptAt?: Date | null;
  lastAttemptAt?: Date | null;
  /** How it ended (or the last attempt's result): `reached` and `booked` count as contact made. */
  outcome?: CallbackOutcome | null;
  note?: string | null;
  /** When the overdue alert went to the assignee (or on-call), and when it escalated to the manager: once each. */
  overdueAlertedAt?: Date | null;
  managerAlertedAt?: Date | null;
}

export type CallbackOutcome = 'reached' | 'booked' | 'no_answer' | 'left_voicemail' | 'wrong_number' | 'not_interested' | 'spam' | 'max_attempts';

export const CallbackTaskSchema = new EntitySchema<CallbackTask>({
  class: CallbackTask,
  tableName: 'callback_task',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    leadId: { type: 'uuid' },
    callId: { type: 'uuid', nullable: true },
    phoneE164: { type: 'string', nullable: true },
    callerRaw: { type: 'string', nullable: true },
    reason: { type: 'string' },
    status: { type: 'string' },
    priority: { type: 'integer' },
    attempts: { type: 'integer' },
    dueAt: { type: 'Date' },
    createdAt: { type: 'Date' },
    closedAt: { type: 'Date', nullable: true },
    claimedBy: { type: 'uuid', nullable: true },
    claimedAt: { type: 'Date', nullable: true },
    firstAttemptAt: { type: 'Date', nullable: true },
    lastAttemptAt: { type: 'Date', nullable: true },
    outcome: { type: 'string', nullable: true },
    note: { type: 'text', nullable: true },
    overdueAlertedAt: { type: 'Date', nullable: true },
    managerAlertedAt: { type: 'Date', nullable: true },
  },
});
