import { randomUUID } from 'node:crypto';
import type { Database, EntityManager } from '../../core/db/database.js';
import { appendConsentRecord } from '../../core/consent/consent-ledger.js';
import {
  Business,
  ConversationMessage,
  InboundPdu,
  Lead,
  OptOutEvent,
  OutboxMessage,
  type MessageKind,
} from '../../core/entities/index.js';
import type { Logger } from '../../core/logging.js';
import { renderDefault, type TemplateName } from '../../core/messaging/templates.js';
import { readCallerNumber } from '../../core/phone.js';
import { routeFailedLeadToCallbacks } from '../outbox/outbox-worker.js';
import { classifyKeyword } from './keywords.js';

export interface InboundProcessorOptions {
  db: Database;
  logger: Logger;
  defaultCountry: string;
  defaultSenderId: string;
  /** Told when a text was queued, so the outbox sends it at once. */
  onQueued?: () => void;
}

export type InboundEffect = 'receipt' | 'opt_out' | 'already_opted_out' | 'opt_in' | 'help' | 'conversation' | 'ignored';

/**
 * Acts on saved PDUs: receipts update the outbox, keywords change consent,
 * everything else joins the lead's conversation. Each PDU is processed in one
 * transaction that also marks it processed, so a crash replays it whole.
 */
export class InboundProcessor {
  constructor(private readonly options: InboundProcessorOptions) {}

  async process(inboundId: string): Promise<InboundEffect> {
    let queued = false;
    const effect = await this.options.db.fork().transactional(async (tx) => {
      const pdu = await tx.findOneOrFail(InboundPdu, { id: inboundId });
      if (pdu.processedAt) return 'ignored' as const;
      const result = pdu.kind === 'receipt' ? await this.applyReceipt(tx, pdu) : await this.applyMobileOriginated(tx, pdu);
      queued = result.queued;
      pdu.processedAt = new Date();
      await tx.flush();
      return result.effect;
    });
    if (queued) this.options.onQueued?.();
    return effect;
  }

  /** Processes what a crash left saved but unprocessed. */
  async processBacklog(): Promise<number> {
    const pending = await this.options.db.fork().find(InboundPdu, { processedAt: null }, { orderBy: { receivedAt: 'asc' }, limit: 500 });
    for (const pdu of pending) await this.process(pdu.id);
    return pending.length;
  }

  private async applyReceipt(tx: EntityManager, pdu: InboundPdu): Promise<{ effect: InboundEffect; queued: boolean }> {
    const message = await tx.findOne(OutboxMessage, { smscMessageId: pdu.receiptedMessageId });
    if (!message) {
      this.options.logger.warn({ inboundId: pdu.id }, 'delivery receipt for an unknown message id');
      return { effect: 'ignored', queued: false };
    }
    const state = (pdu.receiptState ?? '').toUpperCase();
    const now = new Date();
    if (state === 'DELIVRD' || state === 'DELIVERED') {
      message.status = 'delivered';
      message.finalAt = now;
    } else if (state === 'EXPIRED') {
      message.status = 'expired';
      message.finalAt = now;
    } else if (['UNDELIV', 'REJECTD', 'DELETED', 'UNDELIVERABLE', 'REJECTED'].includes(state)) {
      message.status = 'failed';
      message.finalAt = now;
      message.error = `receipt ${state}`;
      await routeFailedLeadToCallbacks(tx, message);
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
    tx.persist(
      Object.assign(new ConversationMessage(), {
        id: randomUUID(),
        leadId: lead.id,
        direction: 'in' as const,
        body: pdu.body,
        inboundId: pdu.id,
        createdAt: pdu.receivedAt,
      }),
    );
    const keyword = classifyKeyword(pdu.body);
    if (keyword === 'stop') {
      // A second STOP changes nothing and earns no second confirmation.
      if (await this.isOptedOut(tx, business.id, phone)) return { effect: 'already_opted_out', queued: false };
      await this.recordOptChange(tx, business, lead, phone, pdu, 'stop');
      lead.status = 'opted_out';
      this.queue(tx, business, lead, phone, 'optout_confirmation', 'optout_confirmation');
      return { effect: 'opt_out', queued: true };
    }
    if (keyword === 'start') {
      if (!(await this.isOptedOut(tx, business.id, phone))) return { effect: 'conversation', queued: false };
      await this.recordOptChange(tx, business, lead, phone, pdu, 'start');
      if (lead.status === 'opted_out') lead.status = 'texting';
      this.queue(tx, business, lead, phone, 'informational', 'restart_confirmation');
      return { effect: 'opt_in', queued: true };
    }
    if (keyword === 'help') {
      this.queue(tx, business, lead, phone, 'help', 'help');
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

  private queue(tx: EntityManager, business: Business, lead: Lead, phone: string, kind: MessageKind, template: TemplateName): void {
    const now = new Date();
    tx.persist(
      Object.assign(new OutboxMessage(), {
        id: randomUUID(),
        businessId: business.id,
        leadId: lead.id,
        toE164: phone,
        fromAddr: business.senderId ?? this.options.defaultSenderId,
        kind,
        body: renderDefault(template, { business: { name: business.name, contactPhone: business.contactPhone ?? null } }),
        status: 'queued' as const,
        attempts: 0,
        notBefore: now,
        createdAt: now,
      }),
    );
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
    await tx.persistAndFlush(lead);
    return lead;
  }
}
