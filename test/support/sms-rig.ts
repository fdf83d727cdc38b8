import { randomUUID } from 'node:crypto';
import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import type { SmppConnectionConfig, SmppRouteConfig } from '../../core/config/smpp-settings.js';
import type { Database } from '../../core/db/database.js';
import { Business, Lead, OutboxMessage, type MessageKind, type OutboxStatus } from '../../core/entities/index.js';
import { DomainEventBus } from '../../core/events.js';
import { createLogger, type Logger } from '../../core/logging.js';
import { saveInboundPdu, type ReceivedDeliverSm } from '../../sms-gateway/inbound/inbound-journal.js';
import { InboundProcessor } from '../../sms-gateway/inbound/inbound-processor.js';
import { OutboxWorker, type OutboxWorkerOptions } from '../../sms-gateway/outbox/outbox-worker.js';
import type { SmppTuning } from '../../sms-gateway/smpp/smpp-connection.js';
import { SmppGateway } from '../../sms-gateway/smpp/smpp-gateway.js';
import type { SmsTransport } from '../../sms-gateway/sms-transport.js';
import type { FakeSmsc } from '../fakes/smsc/index.js';

/** One SMSC connection of the rig: the fake it binds to, and what differs from the defaults. */
export interface RigConnection {
  smsc: FakeSmsc;
  name?: string;
  bind?: SmppConnectionConfig['bind'];
  window?: number;
  /** Default 0 (no cap) so tests that are not about the rate run fast. */
  maxPerSecond?: number;
  concatenation?: SmppConnectionConfig['concatenation'];
}

export interface SmsRigOptions {
  db: Database;
  connections: RigConnection[];
  routes?: SmppRouteConfig[];
  tuning?: SmppTuning;
  worker?: Partial<Omit<OutboxWorkerOptions, 'db' | 'transport' | 'logger' | 'events'>>;
  /** Wraps the gateway the worker sends through (tests that step in between claim and write). */
  wrapTransport?: (gateway: SmppGateway) => SmsTransport;
  logger?: Logger;
}

/**
 * The SMS side of the product as start-app wires it (gateway, outbox worker,
 * inbound journal and processor) against fake SMSCs over TCP, on a test
 * database. Several rigs may share one database: they are then two instances.
 */
export interface SmsRig {
  db: Database;
  gateway: SmppGateway;
  worker: OutboxWorker;
  inbound: InboundProcessor;
  events: DomainEventBus;
  /** Every deliver_sm the rig saved, as the SMPP layer read it. */
  delivered: ReceivedDeliverSm[];
  stop(): Promise<void>;
}

export const DEFAULT_TUNING: SmppTuning = {
  enquireLinkMs: 5_000,
  responseTimeoutMs: 2_000,
  initialBackoffMs: 50,
  maxBackoffMs: 200,
  throttlePauseMs: 300,
  throttleRecoveryMs: 1_000,
};

export async function startSmsRig(options: SmsRigOptions): Promise<SmsRig> {
  const { db } = options;
  const logger = options.logger ?? createLogger('silent');
  const events = new DomainEventBus();
  await defaultBusiness(db);
  let worker: OutboxWorker | null = null;
  const inbound = new InboundProcessor({
    db,
    logger,
    defaultCountry: 'US',
    defaultSenderId: '+14155559999',
    onQueued: () => worker?.wake(),
  });
  const delivered: ReceivedDeliverSm[] = [];
  const gateway = new SmppGateway({
    connections: options.connections.map((c, index) => ({
      name: c.name ?? (index === 0 ? 'default' : `smsc${index}`),
      url: c.smsc.url,
      bind: c.bind ?? 'transceiver',
      window: c.window ?? 10,
      maxPerSecond: c.maxPerSecond ?? 0,
      concatenation: c.concatenation ?? 'udh',
      systemType: '',
    })),
    routes: options.routes ?? [],
    logger,
    tuning: { ...DEFAULT_TUNING, ...options.tuning },
    onDeliver: async (pdu) => {
      const saved = await saveInboundPdu(db, pdu);
      delivered.push(pdu);
      if (saved.duplicate) return;
      setImmediate(() => {
        void inbound
          .process(saved.id)
          .then((effect) => {
            events.emit('sms.received', { inboundId: saved.id, from: pdu.sourceAddr, effect, at: performance.now() });
            if (effect === 'opt_out') events.emit('optout.recorded', { inboundId: saved.id, from: pdu.sourceAddr, at: performance.now() });
          })
          .catch(() => undefined);
      });
    },
  });
  worker = new OutboxWorker({
    db,
    transport: options.wrapTransport ? options.wrapTransport(gateway) : gateway,
    logger,
    events,
    pollMs: 100,
    retryDelayMs: 100,
    leaseMs: 30_000,
    ...options.worker,
  });
  gateway.start();
  await until(() => gateway.state === 'bound', 10_000, 'every SMPP bind');
  worker.start();
  const started = worker;
  return {
    db,
    gateway,
    worker: started,
    inbound,
    events,
    delivered,
    stop: async () => {
      await started.stop();
      await gateway.stop();
    },
  };
}

/** The default business, with no quiet hours (these tests run at any hour; test/compliance covers them). */
export async function defaultBusiness(db: Database): Promise<Business> {
  const em = db.fork();
  const business = await ensureDefaultBusiness(em, 'Acme Plumbing');
  if (business.quietHours !== '00:00-24:00') {
    business.quietHours = '00:00-24:00';
    await em.flush();
  }
  return business;
}

export interface QueuedText {
  to: string;
  body: string;
  kind?: MessageKind;
  from?: string;
  businessId?: string;
  leadId?: string | null;
}

/**
 * Queues texts straight into the outbox, as the use cases do. `staff` by
 * default: the gate lets those through whatever the consent, caps and hours,
 * which keeps transport tests about the transport.
 */
export async function queueTexts(db: Database, texts: QueuedText[]): Promise<OutboxMessage[]> {
  const business = await defaultBusiness(db);
  const em = db.fork();
  const now = new Date();
  const rows = texts.map((t, i) =>
    Object.assign(new OutboxMessage(), {
      id: randomUUID(),
      businessId: t.businessId ?? business.id,
      leadId: t.leadId ?? null,
      toE164: t.to,
      fromAddr: t.from ?? '+14155559999',
      kind: t.kind ?? ('staff' as const),
      body: t.body,
      status: 'queued' as const,
      attempts: 0,
      // Distinct times keep the claim order (oldest first) the order given.
      notBefore: new Date(now.getTime() - texts.length + i),
      createdAt: now,
    }),
  );
  em.persist(rows);
  await em.flush();
  return rows;
}

export async function createLead(db: Database, phone: string): Promise<Lead> {
  const business = await defaultBusiness(db);
  const lead = Object.assign(new Lead(), {
    id: randomUUID(),
    businessId: business.id,
    phoneE164: phone,
    callerRaw: phone,
    source: 'test',
    status: 'texting' as const,
  });
  await db.fork().persistAndFlush(lead);
  return lead;
}

export async function statuses(db: Database, ids: readonly string[]): Promise<Map<string, OutboxStatus>> {
  const rows = await db.fork().find(OutboxMessage, { id: { $in: [...ids] } });
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** Waits until every row has left `queued` / `sending`. */
export async function allSettled(db: Database, ids: readonly string[], timeoutMs = 20_000): Promise<Map<string, OutboxStatus>> {
  let last = new Map<string, OutboxStatus>();
  await until(
    async () => {
      last = await statuses(db, ids);
      return [...last.values()].every((s) => s !== 'queued' && s !== 'sending');
    },
    timeoutMs,
    `${ids.length} texts to settle`,
  );
  return last;
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How many times each text reached the SMSC (UDH/SAR parts of one text count once per part). */
export function countByText(smsc: FakeSmsc): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of smsc.submitted) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
  return counts;
}
