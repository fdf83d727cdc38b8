import type { EntityManager } from '@mikro-orm/postgresql';
import { Business, ConsentRecord, InboundPdu, OptOutEvent, OutboxMessage, type ConsentMode, type MessageKind } from '../entities/index.js';

/** Everything the gate needs to know about one outbound text, gathered from the store. */
export interface GateFacts {
  kind: MessageKind;
  consentMode: ConsentMode;
  /** The newest consent record for this business and number is a grant (not revoked since). */
  hasIvrConsent: boolean;
  /** The newest STOP/START event for this business and number is a STOP. */
  optedOut: boolean;
  /** A confirmation already went out for the newest STOP. */
  optOutConfirmed: boolean;
  /** The number has texted this business (so a reply is conversational, not unsolicited). */
  callerHasTexted: boolean;
  /** An acknowledgement already went out to this number (acknowledge_once allows one). */
  acknowledgementSent: boolean;
}

/**
 * allow: send now. refuse: never (the reason is kept on the row). defer: not now
 * (quiet hours in the recipient's zone): the text waits until `until`, then is
 * checked again.
 */
export type GateDecision = { allow: true } | { allow: false; reason: GateRefusal; until?: undefined } | { allow: false; reason: GateDeferral; until: Date };
export type GateDeferral = 'quiet_hours';
export type GateRefusal =
  'opted_out' | 'no_consent' | 'callback_only' | 'optout_already_confirmed' | 'not_opted_out' | 'acknowledgement_already_sent';

/**
 * The one rule book every outbound text passes (DESIGN.md, "Compliance"). Pure:
 * the same facts always give the same answer, so each rule is unit-tested.
 */
export function decideOutbound(facts: GateFacts): GateDecision {
  switch (facts.kind) {
    case 'staff':
      // To the business's own staff, not to a caller.
      return { allow: true };
    case 'optout_confirmation':
      if (!facts.optedOut) return refuse('not_opted_out');
      return facts.optOutConfirmed ? refuse('optout_already_confirmed') : { allow: true };
    case 'help':
      // Answering HELP is required even without consent; after STOP only STOP's own confirmation goes out.
      return facts.optedOut ? refuse('opted_out') : { allow: true };
    default:
      break;
  }
  if (facts.optedOut) return refuse('opted_out');
  if (facts.consentMode === 'callback_only') return refuse('callback_only');
  if (facts.hasIvrConsent) return { allow: true };
  if (facts.kind === 'conversational' && facts.callerHasTexted) return { allow: true };
  if (facts.consentMode === 'acknowledge_once' && facts.kind === 'acknowledgement') {
    return facts.acknowledgementSent ? refuse('acknowledgement_already_sent') : { allow: true };
  }
  return refuse('no_consent');
}

function refuse(reason: GateRefusal): GateDecision {
  return { allow: false, reason };
}

/** Reads the facts for one queued message. Call inside the transaction that claims it. */
export async function loadGateFacts(em: EntityManager, message: OutboxMessage): Promise<GateFacts> {
  const business = await em.findOneOrFail(Business, { id: message.businessId });
  const latestConsent = await em.findOne(
    ConsentRecord,
    { businessId: message.businessId, callerE164: message.toE164 },
    { orderBy: { seq: 'desc' }, fields: ['kind'] },
  );
  const latestOptEvent = await em.findOne(
    OptOutEvent,
    { businessId: message.businessId, phoneE164: message.toE164 },
    { orderBy: { createdAt: 'desc' } },
  );
  const optedOut = latestOptEvent?.action === 'stop';
  const optOutConfirmed =
    optedOut &&
    (await em.count(OutboxMessage, {
      businessId: message.businessId,
      toE164: message.toE164,
      kind: 'optout_confirmation',
      id: { $ne: message.id },
      status: { $nin: ['queued', 'refused'] },
      createdAt: { $gte: latestOptEvent.createdAt },
    })) > 0;
  const callerHasTexted = (await em.count(InboundPdu, { kind: 'mo', sourceAddr: message.toE164 })) > 0;
  const acknowledgementSent =
    (await em.count(OutboxMessage, {
      businessId: message.businessId,
      toE164: message.toE164,
      kind: 'acknowledgement',
      id: { $ne: message.id },
      status: { $nin: ['queued', 'refused'] },
    })) > 0;
  return {
    kind: message.kind,
    consentMode: business.consentMode,
    hasIvrConsent: latestConsent?.kind === 'grant' || latestConsent?.kind === 'reinstate',
    optedOut,
    optOutConfirmed,
    callerHasTexted,
    acknowledgementSent,
  };
}
