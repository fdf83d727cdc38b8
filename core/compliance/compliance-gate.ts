import type { EntityManager } from '@mikro-orm/postgresql';
import { Business, ConsentRecord, InboundPdu, OptOutEvent, OutboxMessage, type ConsentMode, type MessageKind } from '../entities/index.js';
import { effectiveQuietHours } from './compliance-settings.js';
import { nextAllowedInstant, type SendWindow } from './quiet-hours.js';
import { recipientZones } from './recipient-zones.js';
import { capRefusal, countRecentTexts, lockRecipient } from './send-caps.js';

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
  /** The moment the decision is for. */
  now: Date;
  /** Where the recipient may be (core/compliance/recipient-zones.ts); empty: the number does not say. */
  recipientZones: readonly string[];
  /** The business's own zone: the last resort when the number says nothing (the caller dialled this business). */
  businessTimeZone: string;
  /** The window texts may go in, in the recipient's local time (the business's own, else QUIET_HOURS). */
  quietHours: SendWindow;
  /** Capped texts (send-caps.ts CAPPED_KINDS) to this number from this business that may have reached it in the last 24 h. */
  textsLast24h: number;
  /** Recovery texts (acknowledgements) likewise. */
  recoveriesLast24h: number;
}

/**
 * allow: send now. refuse: never (the reason is kept on the row). defer: not now
 * (quiet hours in the recipient's zone): the text waits until `until`, then is
 * checked again.
 */
export type GateDecision =
  { allow: true } | { allow: false; reason: GateRefusal; until?: undefined } | { allow: false; reason: GateDeferral; until: Date };
export type GateDeferral = 'quiet_hours';
export type GateRefusal =
  | 'opted_out'
  | 'no_consent'
  | 'callback_only'
  | 'optout_already_confirmed'
  | 'not_opted_out'
  | 'acknowledgement_already_sent'
  /** 3 texts in 24 h to this number from this business already. */
  | 'daily_cap'
  /** A recovery text already went to this number from this business in 24 h. */
  | 'recovery_already_sent'
  /** The number's candidate zones share no moment inside the window (a narrow window over a wide country). */
  | 'no_send_window';

/**
 * Kinds that go at once, whatever the hour, and that the caps neither limit
 * nor count: the STOP confirmation (due within 5 minutes), the answer to a
 * HELP the person just sent, and texts to the business's own staff. Every
 * other kind waits for the recipient's daytime, the first text after a
 * missed call and replies to the caller's own late texts included: pressing
 * 1 at 22:00 asks for texts about the enquiry, not for texts at 22:00, and
 * the strictest state laws count hours whatever the consent.
 */
export const EXEMPT_KINDS: ReadonlySet<MessageKind> = new Set(['optout_confirmation', 'help', 'staff']);

/**
 * The one rule book every outbound text passes (DESIGN.md, "Compliance"). Pure:
 * the same facts always give the same answer, so each rule is unit-tested.
 * Order: consent and opt-out first (a text that may never go is refused now,
 * not deferred first), then quiet hours (a deferred text is checked again
 * when it is due, caps included, so they are counted at the time it leaves),
 * then the caps.
 */
export function decideOutbound(facts: GateFacts): GateDecision {
  const consent = decideConsent(facts);
  if (!consent.allow || EXEMPT_KINDS.has(facts.kind)) return consent;
  const quiet = decideQuietHours(facts);
  if (quiet) return quiet;
  const cap = capRefusal(facts.kind, { texts: facts.textsLast24h, recoveries: facts.recoveriesLast24h });
  return cap ? refuse(cap) : { allow: true };
}

function decideConsent(facts: GateFacts): GateDecision {
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

/** A deferral until the window opens in every candidate zone, a refusal when it never does, or null: inside it now. */
function decideQuietHours(facts: GateFacts): GateDecision | null {
  const zones = facts.recipientZones.length > 0 ? facts.recipientZones : [facts.businessTimeZone];
  const next = nextAllowedInstant(facts.now, zones, facts.quietHours);
  if (!next) return refuse('no_send_window');
  return next.getTime() > facts.now.getTime() ? { allow: false, reason: 'quiet_hours', until: next } : null;
}

function refuse(reason: GateRefusal): GateDecision {
  return { allow: false, reason };
}

/**
 * Reads the facts for one queued message. Call inside the transaction that
 * claims it: it takes the recipient's lock (send-caps.ts, released at commit)
 * so two instances never both send the text that breaks a cap, and a STOP
 * being saved is seen. Uses `em` alone (the embedded database has one
 * connection); `now` is for tests.
 */
export async function loadGateFacts(em: EntityManager, message: OutboxMessage, now: Date = new Date()): Promise<GateFacts> {
  // First, so every fact below (opt-out, counts) is read as of after any competing decision or STOP committed.
  await lockRecipient(em, message.businessId, message.toE164);
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
  // Exempt kinds skip quiet hours and caps: nothing to count or look up.
  const exempt = EXEMPT_KINDS.has(message.kind);
  const recent = exempt ? { texts: 0, recoveries: 0 } : await countRecentTexts(em, message, now);
  const zones = exempt ? [] : (await recipientZones(message.toE164)).zones;
  return {
    kind: message.kind,
    consentMode: business.consentMode,
    hasIvrConsent: latestConsent?.kind === 'grant' || latestConsent?.kind === 'reinstate',
    optedOut,
    optOutConfirmed,
    callerHasTexted,
    acknowledgementSent,
    now,
    recipientZones: zones,
    businessTimeZone: business.timeZone,
    quietHours: (await effectiveQuietHours(em, business)).window,
    textsLast24h: recent.texts,
    recoveriesLast24h: recent.recoveries,
  };
}
