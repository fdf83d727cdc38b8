import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AriCallControl } from '../ari-app/ari-call-control.js';
import { AriConnection } from '../ari-app/ari-connection.js';
import type { CallControl } from '../ari-app/call-control.js';
import { CallRouter } from '../ari-app/call-router.js';
import { buildAdminApp } from '../admin/build-admin-app.js';
import { ensureBootstrapKey } from '../admin/auth/api-keys.js';
import type { PartState } from '../admin/routes/health.js';
import { ensureDefaultBusiness } from '../core/businesses/business-directory.js';
import type { Config } from '../core/config/load-config.js';
import { isDatabaseUp, migrate, openDatabase, type Database } from '../core/db/database.js';
import { DomainEventBus } from '../core/events.js';
import { recordIvrOutcome } from '../core/leads/record-ivr-outcome.js';
import type { Logger } from '../core/logging.js';
import { defaultPromptsDir, loadPromptCatalog } from '../core/prompts/prompt-catalog.js';
import { readCallerNumber, readKeyedNumber, readPhoneLine } from '../core/phone.js';
import { RecordingStore } from '../core/recordings/recording-store.js';
import { saveInboundPdu } from '../sms-gateway/inbound/inbound-journal.js';
import { InboundProcessor } from '../sms-gateway/inbound/inbound-processor.js';
import { OutboxWorker } from '../sms-gateway/outbox/outbox-worker.js';
import { SmppTransceiver } from '../sms-gateway/smpp/smpp-transceiver.js';

export interface RunningApp {
  db: Database;
  events: DomainEventBus;
  /** The admin service's address, when this instance runs the admin role. */
  adminUrl: string | null;
  admin: FastifyInstance | null;
  ari: AriConnection | null;
  smpp: SmppTransceiver | null;
  outbox: OutboxWorker | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  events?: DomainEventBus;
  /** An already open (and migrated) database to use instead of the configured one; the app closes it on stop. */
  database?: Database;
  /** Where the prompts' MANIFEST.json lives (default: the shipped dialplan/sounds/en). */
  promptsDir?: string;
  /** Tests and the demo shorten timings through these. */
  tuning?: { outboxPollMs?: number; smppEnquireLinkMs?: number; ariMaxBackoffMs?: number; recordingSettleMs?: number };
}

/**
 * The one place that wires the parts together. Each role (ari, sms, admin) can
 * be switched off so several instances share one PostgreSQL; what they share
 * goes through the database, never through memory.
 */
export async function startApp(config: Config, options: StartOptions): Promise<RunningApp> {
  const { logger } = options;
  const events = options.events ?? new DomainEventBus();
  const db =
    options.database ??
    (await openDatabase({
      url: config.databaseUrl,
      embeddedDir: path.join(config.dataDir, 'pgdata'),
      logger,
    }));
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  logger.info({ database: db.kind, location: db.location }, 'database ready');
  await ensureDefaultBusiness(db.fork(), config.businessName);
  if (config.admin.apiKey) await ensureBootstrapKey(db.fork(), config.admin.apiKey);
  const recordings = new RecordingStore(path.resolve(config.dataDir, 'recordings'));

  // --- sms role ------------------------------------------------------------------
  let smpp: SmppTransceiver | null = null;
  let outbox: OutboxWorker | null = null;
  if (config.roles.includes('sms') && config.smpp) {
    const inbound = new InboundProcessor({
      db,
      logger: logger.child({ part: 'sms-inbound' }),
      defaultCountry: config.defaultCountry,
      defaultSenderId: config.smpp.sourceAddr,
      onQueued: () => outbox?.wake(),
    });
    const processSaved = async (inboundId: string, from: string) => {
      try {
        const effect = await inbound.process(inboundId);
        events.emit('sms.received', { inboundId, from, effect, at: performance.now() });
        if (effect === 'opt_out') events.emit('optout.recorded', { inboundId, from, at: performance.now() });
      } catch (err) {
        logger.error({ err, inboundId }, 'processing an inbound text failed; it stays saved for a retry');
      }
    };
    smpp = new SmppTransceiver({
      url: config.smpp.url,
      logger: logger.child({ part: 'smpp' }),
      enquireLinkMs: options.tuning?.smppEnquireLinkMs,
      onDeliver: async (pdu) => {
        const saved = await saveInboundPdu(db, pdu);
        // Acted on after the acknowledgement goes out: saving is what the SMSC waits for.
        if (!saved.duplicate) setImmediate(() => void processSaved(saved.id, pdu.sourceAddr));
      },
    });
    outbox = new OutboxWorker({
      db,
      transport: smpp,
      logger: logger.child({ part: 'outbox' }),
      events,
      pollMs: options.tuning?.outboxPollMs,
    });
    smpp.start();
    outbox.start();
    await inbound.processBacklog();
  } else if (config.roles.includes('sms')) {
    logger.warn('SMPP_URL is not set: texts are queued but not sent');
  }

  // --- ari role ------------------------------------------------------------------
  let ari: AriConnection | null = null;
  let router: CallRouter | null = null;
  if (config.roles.includes('ari') && config.ari) {
    const ariSettings = config.ari;
    const prompts = await loadPromptCatalog(options.promptsDir ?? defaultPromptsDir(), config.ivr.soundPrefix);
    if (prompts.business !== config.businessName) {
      logger.warn(
        { spoken: prompts.business, configured: config.businessName },
        'the prompts name another business than BUSINESS_NAME: regenerate them with dialplan/prompts/generate-prompts.sh',
      );
    }
    let control: CallControl | null = null;
    router = new CallRouter(
      {
        prompts,
        recordings,
        settings: {
          choiceTimeoutSeconds: config.ivr.dtmfTimeoutSeconds,
          maxReplays: 1,
          digitTimeoutSeconds: 5,
          maxNumberAttempts: 2,
          readKeyedNumber: (digits) => readKeyedNumber(digits, config.defaultCountry),
        },
        readCallerLine: (callerNumber) => {
          const caller = readCallerNumber(callerNumber, config.defaultCountry);
          return caller.kind === 'valid' ? readPhoneLine(caller.e164, config.defaultCountry) : null;
        },
        recordOutcome: async (outcome) => {
          const recorded = await recordIvrOutcome(
            db.fork(),
            { defaultCountry: config.defaultCountry, defaultSenderId: config.smppSourceAddr },
            outcome,
          );
          if (recorded.outboxId) outbox?.wake();
          return recorded;
        },
        events,
        logger: logger.child({ part: 'ivr' }),
        recordingSettleMs: options.tuning?.recordingSettleMs,
      },
      () => control,
    );
    ari = new AriConnection({
      ...ariSettings,
      logger: logger.child({ part: 'ari' }),
      router,
      maxBackoffMs: options.tuning?.ariMaxBackoffMs,
      onClient: (client) => {
        control = client ? new AriCallControl(client, ariSettings) : null;
      },
    });
    ari.start();
  } else if (config.roles.includes('ari')) {
    logger.warn('ARI_URL is not set: the call side is off');
  }

  // --- admin role ----------------------------------------------------------------
  let admin: FastifyInstance | null = null;
  let adminUrl: string | null = null;
  if (config.roles.includes('admin')) {
    admin = await buildAdminApp({
      db,
      recordings,
      logger,
      health: {
        database: async () => ((await isDatabaseUp(db)) ? 'up' : 'down'),
        ari: () => (ari ? toPartState(ari.state) : 'off'),
        smpp: () => (smpp ? toPartState(smpp.state) : 'off'),
      },
    });
    adminUrl = await admin.listen({ host: config.admin.host, port: config.admin.port });
  }

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Order matters: stop taking calls and let live IVRs finish, then stop
      // sending, unbind, close the API, and only then the database they all use.
      await router?.drain(15_000);
      await ari?.stop();
      await outbox?.stop();
      await smpp?.stop();
      await admin?.close();
      await db.close();
    })());

  return { db, events, adminUrl, admin, ari, smpp, outbox, stop };
}

function toPartState(state: string): PartState {
  if (state === 'connected' || state === 'bound') return 'up';
  if (state === 'connecting') return 'connecting';
  return 'down';
}
