import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { ConversationMessage, InboundConcat, InboundPdu, Lead, OptOutEvent, OutboxMessage } from '../../core/entities/index.js';
import { createLogger } from '../../core/logging.js';
import { saveInboundPdu } from '../../sms-gateway/inbound/inbound-journal.js';
import { InboundProcessor, type InboundEffect } from '../../sms-gateway/inbound/inbound-processor.js';

export const LIMIT_MS = 240_000;
export const T0 = new Date('2026-11-21T15:00:00Z');

/** A time `ms` after T0. */
export const at = (ms: number): Date => new Date(T0.getTime() + ms);

export interface PartSpec {
  from: string;
  to?: string;
  reference: number;
  total: number;
  seq: number;
  text: string;
  receivedAt?: Date;
}

/**
 * The inbound side as start-app wires it, on a test database: a deliver_sm is
 * saved (as before its acknowledgement), then processed, unless it was a
 * duplicate. Several rigs on one database are several instances.
 */
export class InboundRig {
  readonly processor: InboundProcessor;

  constructor(readonly db: Database) {
    this.processor = new InboundProcessor({
      db,
      logger: createLogger('silent'),
      defaultCountry: 'US',
      defaultSenderId: '+14155559999',
      partsTimeLimitMs: LIMIT_MS,
    });
  }

  static async create(db: Database): Promise<InboundRig> {
    await ensureDefaultBusiness(db.fork(), 'Acme Plumbing');
    return new InboundRig(db);
  }

  /** Saves a part; the id, and whether the journal saw it as a duplicate. */
  save(part: PartSpec): Promise<{ id: string; duplicate: boolean }> {
    return saveInboundPdu(this.db, {
      sourceAddr: part.from,
      destinationAddr: part.to ?? '+14155559999',
      text: part.text,
      part: { reference: part.reference, total: part.total, seq: part.seq },
      receivedAt: part.receivedAt ?? at(0),
    });
  }

  /** Saves and processes a part; `null` when the journal dropped it as a duplicate. */
  async receive(part: PartSpec): Promise<InboundEffect | null> {
    const saved = await this.save(part);
    return saved.duplicate ? null : this.processor.process(saved.id);
  }

  /** The whole texts (kind `mo`) received from a number, oldest first. */
  async wholeTexts(from: string): Promise<InboundPdu[]> {
    return this.db.fork().find(InboundPdu, { kind: 'mo', sourceAddr: from }, { orderBy: { receivedAt: 'asc', id: 'asc' } });
  }

  /** What the conversation of a number holds from them, oldest first. */
  async conversation(from: string): Promise<string[]> {
    const em = this.db.fork();
    const leads = await em.find(Lead, { phoneE164: from });
    const messages = await em.find(
      ConversationMessage,
      { leadId: { $in: leads.map((l) => l.id) }, direction: 'in' },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return messages.map((m) => m.body);
  }

  async optOuts(from: string): Promise<OptOutEvent[]> {
    return this.db.fork().find(OptOutEvent, { phoneE164: from });
  }

  async outbox(to: string): Promise<OutboxMessage[]> {
    return this.db.fork().find(OutboxMessage, { toE164: to });
  }

  async concatenations(from: string): Promise<InboundConcat[]> {
    return this.db.fork().find(InboundConcat, { sourceAddr: from }, { orderBy: { firstReceivedAt: 'asc' } });
  }
}

/** The parts of `text` cut into `size`-character pieces (as a handset would, roughly). */
export function cut(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}
