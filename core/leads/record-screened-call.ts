import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { resolveBusinessByDid } from '../businesses/business-directory.js';
import { Call, type MissReason } from '../entities/index.js';
import { normalizeDid, readCallerNumber, sanitizeText } from '../phone.js';
import type { ScreeningReason } from '../screening/screening-rules.js';

export interface ScreenedCall {
  channelId: string;
  uniqueid: string;
  callerNumber: string | null;
  callerName: string | null;
  dialedNumber: string | null;
  reason: MissReason;
  screeningReason: ScreeningReason;
  enteredAt: Date;
  endedAt: Date;
}

/** A screened call is logged with its reason; it makes no lead, no task and never a text. */
export async function recordScreenedCall(em: EntityManager, defaultCountry: string, call: ScreenedCall): Promise<string> {
  return em.transactional(async (tx) => {
    const existing = await tx.findOne(Call, { channelId: call.channelId });
    if (existing) return existing.id;
    const caller = readCallerNumber(call.callerNumber, defaultCountry);
    const did = normalizeDid(call.dialedNumber, defaultCountry);
    const { business } = await resolveBusinessByDid(tx, did);
    const row = Object.assign(new Call(), {
      id: randomUUID(),
      businessId: business.id,
      leadId: null,
      channelId: call.channelId,
      uniqueid: call.uniqueid,
      callerRaw: caller.raw,
      callerName: call.callerName ? sanitizeText(call.callerName, 80) : null,
      callerE164: caller.kind === 'valid' ? caller.e164 : null,
      did,
      reason: call.reason,
      outcome: 'screened' as const,
      screeningReason: call.screeningReason,
      enteredAt: call.enteredAt,
      endedAt: call.endedAt,
    });
    await tx.persistAndFlush(row);
    return row.id;
  });
}
