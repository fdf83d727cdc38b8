import { randomUUID } from 'node:crypto';
import type { EntityManager } from '../../core/db/database.js';
import { InboundConcat, InboundPdu } from '../../core/entities/index.js';
import { sanitizeText } from '../../core/phone.js';
import { MO_DEDUPE_WINDOW_MS } from './inbound-journal.js';
import { joinParts } from './join-parts.js';

/** What taking in one part did. `texts`: whole texts (kind `mo`, unsaved) to act on now, in this transaction. */
export interface PartOutcome {
  status: 'held' | 'duplicate' | 'complete';
  texts: InboundPdu[];
}

/** The key parts of one text share. The reference alone is not one: every phone picks its own. */
interface ConcatKey {
  sourceAddr: string;
  destinationAddr: string;
  reference: number;
  total: number;
}

/** Namespace (first key) of our advisory locks, apart from every other lock in the product. */
const LOCK_NAMESPACE = 0x4d4350; // "MCP": parts
/** 255 parts of 160 characters: anything a handset can send fits. */
const MAX_TEXT = 255 * 160;

/**
 * Puts long texts back together in the database, so it holds across restarts
 * and between instances. Every step for one key runs under a transaction-scoped
 * advisory lock on that key: two last parts processed at once (by two
 * instances) queue up, and the second sees the first's part.
 *
 * Rules (README "Long texts"):
 * - a part joins the open text of its key if it was received before that
 *   text's time limit (counted from its first part);
 * - the part that completes a text closes it (`complete`) and yields the whole text;
 * - a part identical to one already taken within the redelivery window is a
 *   redelivery and changes nothing;
 * - a part received after the limit, or carrying a part number the open text
 *   already has with other words (the sender reused the reference), first
 *   closes the open text as `expired`, then starts a new one;
 * - `expire` closes a text whose limit passed: what arrived is processed,
 *   with a marker where parts are missing, so no words are silently lost.
 */
export class PartAssembler {
  constructor(private readonly timeLimitMs: number) {}

  /** Takes in a saved `mo_part` row (locked by the caller, not yet processed). */
  async accept(tx: EntityManager, part: InboundPdu): Promise<PartOutcome> {
    const key = keyOf(part);
    await lockKey(tx, key);
    if (await this.isRedelivery(tx, part)) return { status: 'duplicate', texts: [] };
    const texts: InboundPdu[] = [];
    let open = await tx.findOne(InboundConcat, { ...key, state: 'open' });
    let siblings = open ? await partsOf(tx, open) : [];
    if (open && (part.receivedAt > open.expiresAt || siblings.some((s) => s.partSeq === part.partSeq))) {
      texts.push(close(tx, open, siblings, 'expired'));
      // Written before the new text is started: only one open text per key may exist at a time.
      await tx.flush();
      open = null;
      siblings = [];
    }
    const concat = open ?? this.start(tx, key, part.receivedAt);
    part.concatId = concat.id;
    const parts = [...siblings, part];
    if (new Set(parts.map((p) => p.partSeq)).size < concat.total) return { status: 'held', texts };
    texts.push(close(tx, concat, parts, 'complete'));
    return { status: 'complete', texts };
  }

  /** Closes one open text whose time limit has passed; null when it is closed already (by a last part, or another instance). */
  async expire(tx: EntityManager, concatId: string, now: Date): Promise<InboundPdu | null> {
    const unlocked = await tx
      .getConnection()
      .execute<ConcatKeyRow[]>(
        'select source_addr, destination_addr, reference, total from inbound_concat where id = ?',
        [concatId],
        'all',
        tx.getTransactionContext(),
      );
    const row = unlocked[0];
    if (!row) return null;
    await lockKey(tx, { sourceAddr: row.source_addr, destinationAddr: row.destination_addr, reference: row.reference, total: row.total });
    // Read only now, under the lock: this fork has not loaded it, so it comes fresh from the database.
    const concat = await tx.findOne(InboundConcat, { id: concatId, state: 'open', expiresAt: { $lte: now } });
    if (!concat) return null;
    return close(tx, concat, await partsOf(tx, concat), 'expired');
  }

  private async isRedelivery(tx: EntityManager, part: InboundPdu): Promise<boolean> {
    const at = part.receivedAt.getTime();
    const taken = await tx.find(InboundPdu, {
      kind: 'mo_part',
      sourceAddr: part.sourceAddr,
      destinationAddr: part.destinationAddr,
      partReference: part.partReference,
      partTotal: part.partTotal,
      partSeq: part.partSeq,
      concatId: { $ne: null },
      receivedAt: { $gte: new Date(at - MO_DEDUPE_WINDOW_MS), $lte: new Date(at + MO_DEDUPE_WINDOW_MS) },
      id: { $ne: part.id },
    });
    return taken.some((earlier) => !!earlier.partText && !!part.partText && earlier.partText.equals(part.partText));
  }

  private start(tx: EntityManager, key: ConcatKey, firstReceivedAt: Date): InboundConcat {
    const concat = Object.assign(new InboundConcat(), {
      id: randomUUID(),
      ...key,
      state: 'open' as const,
      firstReceivedAt,
      expiresAt: new Date(firstReceivedAt.getTime() + this.timeLimitMs),
      closedAt: null,
    });
    tx.persist(concat);
    return concat;
  }
}

interface ConcatKeyRow {
  source_addr: string;
  destination_addr: string;
  reference: number;
  total: number;
}

function keyOf(part: InboundPdu): ConcatKey {
  return {
    sourceAddr: part.sourceAddr,
    destinationAddr: part.destinationAddr,
    reference: part.partReference as number,
    total: part.partTotal as number,
  };
}

async function lockKey(tx: EntityManager, key: ConcatKey): Promise<void> {
  await tx
    .getConnection()
    .execute(
      'select pg_advisory_xact_lock(?, hashtext(?))',
      [LOCK_NAMESPACE, `${key.sourceAddr}|${key.destinationAddr}|${key.reference}|${key.total}`],
      'all',
      tx.getTransactionContext(),
    );
}

function partsOf(tx: EntityManager, concat: InboundConcat): Promise<InboundPdu[]> {
  return tx.find(InboundPdu, { concatId: concat.id, kind: 'mo_part' });
}

/** Closes a text and returns the whole text as a new `mo` row (persisted, not yet flushed). */
function close(tx: EntityManager, concat: InboundConcat, parts: readonly InboundPdu[], state: 'complete' | 'expired'): InboundPdu {
  const joined = joinParts(
    concat.total,
    parts.map((p) => ({ seq: p.partSeq as number, text: (p.partText ?? Buffer.alloc(0)).toString('utf16le') })),
  );
  concat.state = state;
  concat.closedAt = new Date();
  const whole = Object.assign(new InboundPdu(), {
    id: randomUUID(),
    // One whole text per concatenation: the unique key makes a second one impossible.
    dedupeKey: `concat:${concat.id}`,
    kind: 'mo' as const,
    sourceAddr: concat.sourceAddr,
    destinationAddr: concat.destinationAddr,
    body: sanitizeText(joined.text, MAX_TEXT),
    receiptedMessageId: null,
    receiptState: null,
    // When the text became whole (or as whole as it will get): its last part's arrival.
    receivedAt: new Date(Math.max(concat.firstReceivedAt.getTime(), ...parts.map((p) => p.receivedAt.getTime()))),
    concatId: concat.id,
  });
  tx.persist(whole);
  return whole;
}
