import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { Database, EntityManager } from '../../core/db/database.js';
import { appendConsentRecord } from '../../core/consent/consent-ledger.js';
import {
  Business,
  ConversationMessage,
  InboundConcat,
  InboundPdu,
  Lead,
  OptOutEvent,
  type MessageKind,
} from '../../core/entities/index.js';
import type { Logger } from '../../core/logging.js';
import { renderBusinessText } from '../../core/messaging/business-templates.js';
import { queueText } from '../../core/messaging/queue-text.js';
import type { TemplateName } from '../../core/messaging/templates.js';
import { readCallerNumber } from '../../core/phone.js';
import { lockRecipient } from '../../core/compliance/send-caps.js';
import { applyDeliveryReceipt } from '../outbox/part-receipts.js';
import { recordLeadCreated } from '../../core/leads/leads.js';
import { recordIntegrationEvent } from '../../core/integration/integration-events.js';
import { classifyKeyword } from './keywords.js';
import { PartAssembler } from './part-assembler.js';

export interface InboundProcessorOptions {
  db: Database;
  logger: Logger;
  defaultCountry: string;
  defaultSenderId: string;
  /** Told when a text was queued, so the outbox sends it at once. */
  onQueued?: () => void;
  /** How long the parts of a long text are awaited, from its first part (SMS_PARTS_TIMEOUT_SECONDS). */
  partsTimeLimitMs?: number;
}

/** `part_held`: one part of a long text, kept until the rest comes (or its time limit passes). */
export type InboundEffect = 'receipt' | 'opt_out' | 'already_opted_out' | 'opt_in' | 'help' | 'conversation' | 'ignored' | 'part_held';

type Applied = { effect: InboundEffect; queued: boolean };

/** A long text closed because its time limit passed, and what acting on it did. */
export interface ExpiredText {
  inboundId: string;
  from: string;
  effect: InboundEffect;
}

export const DEFAULT_PARTS_TIME_LIMIT_MS = 240_000;

/**
 * Acts on saved PDUs: receipts update the outbox, keywords change consent,
 * everything else joins the lead's conversation. Each PDU is processed in one
 * transaction that also marks it processed, so a crash replays it whole.
 */
export class InboundProcessor {
  private readonly parts: PartAssembler;

  constructor(private readonly options: InboundProcessorOptions) {
    this.parts = new PartAssembler(options.partsTimeLimitMs ?? DEFAULT_PARTS_TIME_LIMIT_MS);
  }

  async process(inboundId: string): Promise<InboundEffect> {
    let queued = false;
    const effect = await this.options.db.fork().transactional(async (tx) => {
      // Locked: the backlog and a fresh delivery may reach the same row at once; it is acted on once.
      const pdu = await tx.findOneOrFail(InboundPdu, { id: inboundId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (pdu.processedAt) return 'ignored' as const;
      const result = await this.apply(tx, pdu);
      queued = result.queued;
      pdu.processedAt = new Date();
      await tx.flush();
      return result.effect;
    });
    if (queued) this.options.onQueued?.();
    return effect;
  }

  /**
   * Closes the long texts whose time limit has passed and acts on what arrived
   * of each, with a marker where parts are missing (part-assembler.ts). Safe to
   * run on several instances at once: each text is closed once.
   */
  async expireParts(now: Date = new Date()): Promise<ExpiredText[]> {
    const due = await this.options.db
      .fork()
      .find(InboundConcat, { state: 'open', expiresAt: { $lte: now } }, { orderBy: { expiresAt: 'asc' }, limit: 100 });
    const expired: ExpiredText[] = [];
    for (const { id } of due) {
      let queued = false;
      const text = await this.options.db.fork().transactional(async (tx) => {
        const whole = await this.parts.expire(tx, id, now);
        if (!whole) return null;
        const [applied] = await this.applyWholeTexts(tx, [whole]);
        queued = applied?.queued ?? false;
        await tx.flush();
        return { inboundId: whole.id, from: whole.sourceAddr, effect: applied?.effect ?? 'ignored' };
      });
      if (queued) this.options.onQueued?.();
      if (text) expired.push(text);
    }
    return expired;
  }

  /** Processes what a crash left saved but unprocessed. */
  async processBacklog(): Promise<number> {
    const pending = await this.options.db.fork().find(InboundPdu, { processedAt: null }, { orderBy: { receivedAt: 'asc' }, limit: 500 });
    for (const pdu of pending) await this.process(pdu.id);
    return pending.length;
  }

  private apply(tx: EntityManager, pdu: InboundPdu): Promise<Applied> {
    if (pdu.kind === 'receipt') return this.applyReceipt(tx, pdu);
    if (pdu.kind === 'mo_part') return this.applyPart(tx, pdu);
    return this.applyMobileOriginated(tx, pdu);
  }

  /**
   * A part waits for the rest of its text; only the whole text is acted on
   * (keywords, conversation), in the transaction of the part that completed it.
   * A part may also close an older text (its limit passed, or its reference was
   * reused): the effect reported is then that text's, so a STOP in it is seen.
   */
  private async applyPart(tx: EntityManager, part: InboundPdu): Promise<Applied> {
    const outcome = await this.parts.accept(tx, part);
    const applied = await this.applyWholeTexts(tx, outcome.texts);
    const queued = applied.some((a) => a.queued);
    const last = applied[applied.length - 1];
    if (last) return { effect: last.effect, queued };
    return { effect: outcome.status === 'duplicate' ? 'ignored' : 'part_held', queued };
  }

  private async applyWholeTexts(tx: EntityManager, texts: readonly InboundPdu[]): Promise<Applied[]> {
    const applied: Applied[] = [];
    for (const text of texts) {
      // The whole text's row must exist before conversation and opt-out rows refer to it.
      await tx.flush();
      applied.push(await this.applyMobileOriginated(tx, text));
      text.processedAt = new Date();
    }
    return applied;
  }

  /**
   * A receipt is about one part (each part of a long text has its own id):
   * the part takes its state, and the text is delivered once every part is,
   * failed or expired as soon as one is (then the lead goes on the callback list).
   */
  private async applyReceipt(tx: EntityManager, pdu: InboundPdu): Promise<{ effect: InboundEffect; queued: boolean }> {
    const matched =
      !!pdu.receiptedMessageId &&
      (await applyDeliveryReceipt(tx, { messageId: pdu.receiptedMessageId, state: pdu.receiptState ?? '', at: pdu.receivedAt }));
    if (!matched) {
      // Often it overtook our recording of the submit_sm_resp: recording that applies it (outbox/part-receipts.ts).
      this.options.logger.info({ inboundId: pdu.id }, 'delivery receipt for a message id not recorded (yet)');
      return { effect: 'ignored', queued: false };
    }
    return { effect: 'receipt', queued: false };
  }

  private async applyMobileOriginated(tx: EntityManager, pdu: InboundPdu): Promise<{ effect: InboundEffect; queued: boolean }> {
    const sender = readCallerNumber(pdu.sourceAddr, this.options.defaultCountry);
    if (sender.kind !== 'valid') {
      this.options.logger.warn({ inboundId: pdu.id }, 'text from an unusable sender address ignored');
      return { effect: 'ignored', queued: false };
    }
    const phone = sender.e164;
    const business = await this.businessFor(tx, phone, pdu.destinationAddr);
    const lead = await this.leadFor(tx, business, phone, pdu.receivedAt);
    const message = Object.assign(new ConversationMessage(), {
      id: randomUUID(),
      leadId: lead.id,
      direction: 'in' as const,
      body: pdu.body,
      inboundId: pdu.id,
      createdAt: pdu.receivedAt,
    });
    tx.persist(message);
    const keyword = classifyKeyword(pdu.body);
    recordIntegrationEvent(tx, {
      type: 'message.received',
      businessId: business.id,
      leadId: lead.id,
      at: pdu.receivedAt,
      // The caller's own words: integrators (CRMs) want them; they are untrusted text.
      data: { lead_id: lead.id, message_id: message.id, from: phone, body: pdu.body, keyword: keyword ?? null },
    });
    if (keyword === 'stop') {
      // A second STOP changes nothing and earns no second confirmation.
      if (await this.isOptedOut(tx, business.id, phone)) return { effect: 'already_opted_out', queued: false };
      await this.recordOptChange(tx, business, lead, phone, pdu, 'stop');
      lead.status = 'opted_out';
      recordIntegrationEvent(tx, {
        type: 'optout.recorded',
        businessId: business.id,
        leadId: lead.id,
        at: pdu.receivedAt,
        data: { lead_id: lead.id, phone, keyword: pdu.body.slice(0, 160), channel: 'sms' },
      });
      await this.queue(tx, business, lead, phone, 'optout_confirmation', 'optout_confirmation');
      return { effect: 'opt_out', queued: true };
    }
    if (keyword === 'start') {
      if (!(await this.isOptedOut(tx, business.id, phone))) return { effect: 'conversation', queued: false };
      await this.recordOptChange(tx, business, lead, phone, pdu, 'start');
      if (lead.status === 'opted_out') lead.status = 'texting';
      await this.queue(tx, business, lead, phone, 'informational', 'restart_confirmation');
      return { effect: 'opt_in', queued: true };
    }
    if (keyword === 'help') {
      await this.queue(tx, business, lead, phone, 'help', 'help');
      return { effect: 'help', queued: true };
    }
    lead.updatedAt = new Date();
    return { effect: 'conversation', queued: false };
  }

  private async isOptedOut(tx: EntityManager, businessId: string, phone: string): Promise<boolean> {
    const latest = await tx.findOne(OptOutEvent, { businessId, phoneE164: phone }, { orderBy: { createdAt: 'desc' } });
    return latest?.action === 'stop';
  }

  /** STOP and START are opt-out events and consent records: a revocation is a new link in the chain. */
  private async recordOptChange(
    tx: EntityManager,
    business: Business,
    lead: Lead,
    phone: string,
    pdu: InboundPdu,
    action: 'stop' | 'start',
  ) {
    // The lock the sender holds from its opt-out check to its write (outbox/write-guard.ts):
    // once this commits, no submit_sm to this number can still be written.
    await lockRecipient(tx, business.id, phone);
    tx.persist(
      Object.assign(new OptOutEvent(), {
        id: randomUUID(),
        businessId: business.id,
        phoneE164: phone,
        action,
        keyword: pdu.body.slice(0, 160),
        inboundId: pdu.id,
        createdAt: pdu.receivedAt,
      }),
    );
    await tx.flush();
    await appendConsentRecord(tx, {
      kind: action === 'stop' ? 'revoke' : 'reinstate',
      businessId: business.id,
      businessName: business.name,
      leadId: lead.id,
      callerE164: phone,
      did: pdu.destinationAddr,
      recordedAt: pdu.receivedAt,
      transcript: pdu.body,
      scope: action === 'stop' ? 'all texts from this business' : 'texts about this enquiry',
      source: 'sms_keyword',
    });
  }

  private async queue(
    tx: EntityManager,
    business: Business,
    lead: Lead,
    phone: string,
    kind: MessageKind,
    template: TemplateName,
  ): Promise<void> {
    // The business's own wording when it has one (core/messaging/business-templates.ts).
    queueText(tx, {
      businessId: business.id,
      leadId: lead.id,
      toE164: phone,
      fromAddr: business.senderId ?? this.options.defaultSenderId,
      kind,
      body: await renderBusinessText(tx, business, template),
    });
  }

  /** The business a text was for: the one whose sender id it was sent to, else the one this number last dealt with. */
  private async businessFor(tx: EntityManager, phone: string, destination: string): Promise<Business> {
    const bySender = await tx.findOne(Business, { senderId: destination });
    if (bySender) return bySender;
    const lastLead = await tx.findOne(Lead, { phoneE164: phone }, { orderBy: { updatedAt: 'desc' } });
    if (lastLead) return tx.findOneOrFail(Business, { id: lastLead.businessId });
    return tx.findOneOrFail(Business, { isDefault: true });
  }

  private async leadFor(tx: EntityManager, business: Business, phone: string, at: Date): Promise<Lead> {
    const existing = await tx.findOne(Lead, { businessId: business.id, phoneE164: phone }, { orderBy: { createdAt: 'desc' } });
    if (existing) return existing;
    const lead = Object.assign(new Lead(), {
      id: randomUUID(),
      businessId: business.id,
      phoneE164: phone,
      callerRaw: phone,
      source: 'sms',
      status: 'new' as const,
      createdAt: at,
      updatedAt: at,
    });
    tx.persist(lead);
    recordLeadCreated(tx, lead);
    await tx.flush();
    return lead;
  }
}
