/**
 * The caps: at most 3 texts to one number from one business in any 24 hours
 * (rolling), and one recovery text (the acknowledgement after a missed call)
 * per number per business per 24 hours. Counted in the database, so every
 * instance sharing it sees the same counts.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxMessage, type MessageKind, type OutboxStatus } from '../entities/index.js';

export const DAILY_TEXT_CAP = 3;
export const RECOVERIES_PER_DAY = 1;
export const CAP_WINDOW_MS = 24 * 3_600_000;

/**
 * The kinds the daily cap counts and limits: every text to a caller except
 * the STOP confirmation and HELP answers, which the rules require whatever
 * came before (and which must never push a later text over the cap). Staff
 * texts go to the business's own people, not to the caller.
 */
export const CAPPED_KINDS: readonly MessageKind[] = ['acknowledgement', 'conversational', 'informational', 'follow_up'];

/** What counts as having (maybe) reached the person: see countRecentTexts. */
export const COUNTED_STATUSES: readonly OutboxStatus[] = ['sending', 'submitted', 'delivered', 'unknown'];

export interface RecentTexts {
  /** CAPPED_KINDS texts in the window. */
  texts: number;
  /** Acknowledgements in the window. */
  recoveries: number;
}

/** Arbitrary first key of the advisory lock, so these locks share no space with anyone else's. */
const LOCK_NAMESPACE = 0x4d4352; // "MCR"

/**
 * Serialises gate decisions for one number and one business across instances
 * until the claiming transaction ends: a second instance waits here until the
 * first one's `sending` row is committed, and then counts it. Outside a
 * transaction it is taken and released at once (harmless).
 */
export async function lockRecipient(em: EntityManager, businessId: string, toE164: string): Promise<void> {
  await em
    .getConnection()
    .execute(
      'select pg_advisory_xact_lock(?, hashtext(?))',
      [LOCK_NAMESPACE, `${businessId}:${toE164}`],
      'all',
      em.getTransactionContext(),
    );
}

/**
 * Texts from the business to the number in the 24 hours before `now`,
 * `message` itself excluded. A text counts once it may have reached the
 * person: being sent right now (`sending`: another instance holds it), taken
 * by the SMSC (`submitted`, `delivered`) or written without an answer
 * (`unknown`: the SMSC may have it). Not counted: `queued` (not sent yet,
 * deferred ones included), `refused`, and `failed` / `expired`, which the
 * network says it never delivered: they disturbed nobody, and counting them
 * would spend the caller's allowance on texts they never got.
 */
export async function countRecentTexts(em: EntityManager, message: OutboxMessage, now: Date): Promise<RecentTexts> {
  const since = new Date(now.getTime() - CAP_WINDOW_MS);
  const recent = {
    businessId: message.businessId,
    toE164: message.toE164,
    id: { $ne: message.id },
    $or: [
      // In flight now, so inside any window that ends now.
      { status: 'sending' as const },
      // When it left: the SMSC's answer, or (unknown) when we gave up waiting for it.
      { status: { $in: ['submitted' as const, 'delivered' as const] }, submittedAt: { $gte: since } },
      { status: 'unknown' as const, finalAt: { $gte: since } },
    ],
  };
  const texts = await em.count(OutboxMessage, { ...recent, kind: { $in: [...CAPPED_KINDS] } });
  const recoveries = await em.count(OutboxMessage, { ...recent, kind: 'acknowledgement' });
  return { texts, recoveries };
}

/** The cap a text would break, or null. Exempt kinds are never passed here. */
export function capRefusal(kind: MessageKind, recent: RecentTexts): 'recovery_already_sent' | 'daily_cap' | null {
  if (kind === 'acknowledgement' && recent.recoveries >= RECOVERIES_PER_DAY) return 'recovery_already_sent';
  if (recent.texts >= DAILY_TEXT_CAP) return 'daily_cap';
  return null;
}
