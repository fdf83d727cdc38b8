import { EntitySchema } from '@mikro-orm/core';

/** Why the call was missed: as the dialplan passed it to Stasis, or (calls that never reached the app) as AMI told it. */
export type MissReason = 'NOANSWER' | 'BUSY' | 'CHANUNAVAIL' | 'CONGESTION' | 'AFTERHOURS' | 'UNKNOWN' | UnansweredReason;
/** Seen over AMI only: hung up while ringing, app down, Dial() misconfigured, gave up in a queue, left in voicemail. */
export type UnansweredReason = 'ABANDONED' | 'STASIS_FAILED' | 'DIAL_FAILED' | 'QUEUE_ABANDONED' | 'VOICEMAIL';
/** What happened in the consent IVR. */
export const CALL_OUTCOMES = [
  'consented',
  'callback_requested',
  'declined',
  'landline',
  'no_response',
  'hung_up',
  'withheld_number',
  'screened',
  'failed',
  'abandoned',
  'voicemail',
  'app_unavailable',
  'dial_failed',
] as const;
/** What happened to a missed call: in the IVR, at screening, or (seen over AMI) before the app. */
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export class Call {
  id!: string;
  businessId!: string;
  leadId?: string | null;
  channelId!: string;
  uniqueid!: string;
  linkedid?: string | null;
  callerRaw?: string | null;
  callerName?: string | null;
  callerE164?: string | null;
  did?: string | null;
  reason!: MissReason;
  outcome!: CallOutcome;
  dtmf?: string | null;
  /** Why screening stopped the call before the IVR (outcome 'screened'). */
  screeningReason?: string | null;
  enteredAt!: Date;
  answeredAt?: Date | null;
  endedAt!: Date;
}

export const CallSchema = new EntitySchema<Call>({
  class: Call,
  tableName: 'call',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    leadId: { type: 'uuid', nullable: true },
    channelId: { type: 'string', unique: true },
    uniqueid: { type: 'string' },
    linkedid: { type: 'string', nullable: true },
    callerRaw: { type: 'string', nullable: true },
    callerName: { type: 'string', nullable: true },
    callerE164: { type: 'string', nullable: true },
    did: { type: 'string', nullable: true },
    reason: { type: 'string' },
    outcome: { type: 'string' },
    dtmf: { type: 'string', nullable: true },
    screeningReason: { type: 'string', nullable: true },
    enteredAt: { type: 'Date' },
    answeredAt: { type: 'Date', nullable: true },
    endedAt: { type: 'Date' },
  },
});
