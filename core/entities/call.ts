import { EntitySchema } from '@mikro-orm/core';

/** Why the call was missed, as the dialplan passed it to Stasis. */
export type MissReason = 'NOANSWER' | 'BUSY' | 'CHANUNAVAIL' | 'CONGESTION' | 'AFTERHOURS' | 'UNKNOWN';
/** What happened in the consent IVR. */
export type CallOutcome = 'consented' | 'callback_requested' | 'no_response' | 'hung_up' | 'withheld_number' | 'failed';

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
    enteredAt: { type: 'Date' },
    answeredAt: { type: 'Date', nullable: true },
    endedAt: { type: 'Date' },
  },
});
