import type { EntityManager } from '@mikro-orm/postgresql';
import { resolveBusinessByDid } from '../businesses/business-directory.js';
import { Call, CallerListEntry, type Business } from '../entities/index.js';
import { normalizeDid, readCallerNumber } from '../phone.js';
import { screenCall, type ScreeningFacts, type ScreeningVerdict } from './screening-rules.js';

export interface IncomingCallFacts {
  callerNumber: string | null;
  dialedNumber: string | null;
  stirShakenResult: string | null;
  at: Date;
  ringSeconds?: number | null;
  minRingSeconds?: number;
}

/** Gathers what the screening rules need about one call from the store, and applies them. */
export async function screenIncomingCall(em: EntityManager, defaultCountry: string, call: IncomingCallFacts): Promise<ScreeningVerdict> {
  const caller = readCallerNumber(call.callerNumber, defaultCountry);
  const { business } = await resolveBusinessByDid(em, normalizeDid(call.dialedNumber, defaultCountry));
  const phone = caller.kind === 'valid' ? caller.e164 : null;
  return screenCall({
    callerKind: caller.kind,
    ...(await loadCallerScreeningFacts(em, business, phone, call.at)),
    stirShakenResult: call.stirShakenResult,
    ringSeconds: call.ringSeconds,
    minRingSeconds: call.minRingSeconds,
  });
}

/** What the store knows for screening one caller: the business's lists and thresholds, and how often the number called lately. */
export async function loadCallerScreeningFacts(
  em: EntityManager,
  business: Business,
  phone: string | null,
  at: Date,
): Promise<Pick<ScreeningFacts, 'allowListed' | 'blockListed' | 'recentCalls' | 'maxCallsPerHour' | 'rejectFailedStirShaken'>> {
  const listed = phone ? await em.findOne(CallerListEntry, { businessId: business.id, phoneE164: phone }) : null;
  const recentCalls = phone
    ? await em.count(Call, { businessId: business.id, callerE164: phone, enteredAt: { $gte: new Date(at.getTime() - 3_600_000) } })
    : 0;
  return {
    allowListed: listed?.list === 'allow',
    blockListed: listed?.list === 'block',
    recentCalls,
    maxCallsPerHour: business.maxCallsPerHour,
    rejectFailedStirShaken: business.rejectFailedStirShaken,
  };
}
