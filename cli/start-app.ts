import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startAmiPart, type AmiPart } from '../ari-app/ami/start-ami-part.js';
import { AriCallControl } from '../ari-app/ari-call-control.js';
import { AriConnection } from '../ari-app/ari-connection.js';
import type { CallControl } from '../ari-app/call-control.js';
import { CallRouter } from '../ari-app/call-router.js';
import { AriGlobalVariables } from '../ari-app/hours/global-variables.js';
import { OpenStatePublisher } from '../ari-app/hours/publish-open-state.js';
import { buildAdminApp } from '../admin/build-admin-app.js';
import { ensureBootstrapKey } from '../admin/auth/api-keys.js';
import type { PartState } from '../admin/routes/health.js';
import { ensureDefaultBusiness, promptProfileForDid } from '../core/businesses/business-directory.js';
import { storeDefaultQuietHours } from '../core/compliance/compliance-settings.js';
import type { Config } from '../core/config/load-config.js';
import { isDatabaseUp, migrate, openDatabase, type Database } from '../core/db/database.js';
import { DomainEventBus } from '../core/events.js';
import { recordIvrOutcome, type IvrOutcome } from '../core/leads/record-ivr-outcome.js';
import { createSpeechRecognizer, type SpeechEngine } from '../core/speech/create-recognizer.js';
import { DurableSpool } from '../core/spool/durable-spool.js';
import { recordScreenedCall } from '../core/leads/record-screened-call.js';
import { screenIncomingCall } from '../core/screening/screen-incoming-call.js';
import type { Logger } from '../core/logging.js';
import { defaultPromptsRoot } from '../core/prompts/prompt-catalog.js';
import { PromptLibrary } from '../core/prompts/prompt-library.js';
import { normalizeDid, readCallerNumber, readKeyedNumber, readPhoneLine } from '../core/phone.js';
import { RecordingStore } from '../core/recordings/recording-store.js';
import { saveInboundPdu } from '../sms-gateway/inbound/inbound-journal.js';
import { InboundProcessor } from '../sms-gateway/inbound/inbound-processor.js';
import { startPartsSweep, type PartsSweep } from '../sms-gateway/inbound/parts-sweep.js';
import { OutboxWorker } from '../sms-gateway/outbox/outbox-worker.js';
import type { SmppTuning } from '../sms-gateway/smpp/smpp-connection.js';
import { SmppGateway } from '../sms-gateway/smpp/smpp-gateway.js';
import { startStaffAlerts, type StaffAlerts } from '../core/notifications/start-staff-alerts.js';
import { TranscriptionWorker } from '../core/voicemail/transcription-worker.js';

export interface RunningApp {
  db: Database;
  events: DomainEventBus;
  /** The admin service's address, when this instance runs the admin role. */
  adminUrl: string | null;
  admin: FastifyInstance | null;
  ari: AriConnection | null;
  /** The AMI listener for calls that never reach the app (ari role with AMI_URL). */
  ami: AmiPart | null;
  /** Every SMSC connection and the routing between them (sms role with SMPP_URL / SMPP_URLS). */
  smpp: SmppGateway | null;
  outbox: OutboxWorker | null;
  /** Calls in the IVR right now. */
  activeCalls(): number;
  /** Call outcomes waiting on disk for the database (null without the ari role). */
  outcomeSpool: DurableSpool<IvrOutcome> | null;
  /** Staff alerts, digests, reports, outage monitor (issue 8). */
  alerts: StaffAlerts;
  /** Transcribes the messages callers leave (ari role). */
  voicemails: TranscriptionWorker | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  events?: DomainEventBus;
  /** An already open (and migrated) database to use instead of the configured one; the app closes it on stop. */
  database?: Database;
  /** The sounds folder holding `<language>/[<set>/]MANIFEST.json` (default: the shipped dialplan/sounds). */
  promptsRoot?: string;
  /** Tests and the demo shorten timings through these. */
  tuning?: {
    spoolRetryMs?: number;
    outboxPollMs?: number;
    smppEnquireLinkMs?: number;
    /** SMPP timings (enquire_link, response timeout, backoff, throttle pause). */
    smpp?: SmppTuning;
    ariMaxBackoffMs?: number;
    recordingSettleMs?: number;
    /** Wait before an AMI-reported call is recorded (default 30 s). */
    amiGraceMs?: number;
    amiMaxBackoffMs?: number;
    /** How often long texts past their time limit are looked for (default 15 s). */
    partsSweepMs?: number;
    /** Staff alerts: how often the event log, the e-mail queue and the voicemail queue are read when nothing wakes them. */
    alertsPollMs?: number;
    /** Staff alerts: how often overdue callbacks, digests and weekly reports are looked for (default 30 s). */
    alertJobsMs?: number;
    /** Outage monitor interval (default 15 s). */
    outageCheckMs?: number;
  };
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
  // The gate reads quiet hours from the database (it sees only the claiming transaction).
  await storeDefaultQuietHours(db.fork(), config.quietHours);
  if (config.admin.apiKey) await ensureBootstrapKey(db.fork(), config.admin.apiKey);
  const recordings = new RecordingStore(path.resolve(config.dataDir, 'recordings'));

  // --- sms role ------------------------------------------------------------------
  let smpp: SmppGateway | null = null;
  let outbox: OutboxWorker | null = null;
  let partsSweep: PartsSweep | null = null;
  if (config.roles.includes('sms') && config.smpp) {
    const inbound = new InboundProcessor({
      db,
      logger: logger.child({ part: 'sms-inbound' }),
      defaultCountry: config.defaultCountry,
      defaultSenderId: config.smpp.sourceAddr,
      onQueued: () => outbox?.wake(),
      partsTimeLimitMs: config.smsPartsTimeoutSeconds * 1000,
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
    smpp = new SmppGateway({
      connections: config.smpp.connections,
      routes: config.smpp.routes,
      logger: logger.child({ part: 'smpp' }),
      tuning: { enquireLinkMs: options.tuning?.smppEnquireLinkMs, ...options.tuning?.smpp },
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
    // Long texts whose missing parts never came are acted on at their time limit, with a marker.
    partsSweep = startPartsSweep(inbound, {
      intervalMs: options.tuning?.partsSweepMs,
      logger: logger.child({ part: 'sms-inbound' }),
      onExpired: ({ inboundId, from, effect }) => {
        events.emit('sms.received', { inboundId, from, effect, at: performance.now() });
        if (effect === 'opt_out') events.emit('optout.recorded', { inboundId, from, at: performance.now() });
      },
    });
  } else if (config.roles.includes('sms')) {
    logger.warn('SMPP_URL is not set: texts are queued but not sent');
  }

  // --- ari role ------------------------------------------------------------------
  let ari: AriConnection | null = null;
  let router: CallRouter | null = null;
  let outcomeSpool: DurableSpool<IvrOutcome> | null = null;
  let recognizer: SpeechEngine | null = null;
  let voicemails: TranscriptionWorker | null = null;
  if (config.roles.includes('ari') && config.ari) {
    const ariSettings = config.ari;
    const prompts = new PromptLibrary(
      options.promptsRoot ?? defaultPromptsRoot(),
      config.ivr.soundPrefix,
      logger.child({ part: 'prompts' }),
    );
    const defaultPrompts = await prompts.load();
    if (defaultPrompts.business !== config.businessName) {
      logger.warn(
        { spoken: defaultPrompts.business, configured: config.businessName },
        'the prompts name another business than BUSINESS_NAME: regenerate them with dialplan/prompts/generate-prompts.sh',
      );
    }
    let control: CallControl | null = null;
    // An engine chosen but not installed is a start-up error that says what to install.
    recognizer = await createSpeechRecognizer(config.speechEngine);
    if (recognizer) logger.info({ engine: recognizer.engine }, 'spoken answers on');
    // Messages callers leave are stored on this instance's disk: it transcribes them.
    voicemails = new TranscriptionWorker({
      db,
      recordings,
      transcriber: recognizer,
      logger: logger.child({ part: 'voicemail' }),
      pollMs: options.tuning?.alertsPollMs,
    });
    voicemails.start();
    const storeOutcome = async (outcome: IvrOutcome) => {
      const recorded = await recordIvrOutcome(
        db.fork(),
        { defaultCountry: config.defaultCountry, defaultSenderId: config.smppSourceAddr },
        outcome,
      );
      if (recorded.outboxId) outbox?.wake();
      if (recorded.voicemailId) voicemails?.wake();
      return recorded;
    };
    const spool = new DurableSpool<IvrOutcome>(
      path.resolve(config.dataDir, 'spool', 'call-outcomes'),
      storeOutcome,
      logger.child({ part: 'spool' }),
      options.tuning?.spoolRetryMs,
    );
    outcomeSpool = spool;
    spool.start();
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
          messageMaxSeconds: config.messages.maxSeconds,
        },
        messages: config.messages,
        readCallerLine: (callerNumber) => {
          const caller = readCallerNumber(callerNumber, config.defaultCountry);
          return caller.kind === 'valid' ? readPhoneLine(caller.e164, config.defaultCountry) : null;
        },
        promptProfile: (dialedNumber) => promptProfileForDid(db.fork(), normalizeDid(dialedNumber, config.defaultCountry)),
        speech: recognizer ? { recognizer } : undefined,
        screen: (facts) => screenIncomingCall(db.fork(), config.defaultCountry, facts),
        recordScreened: (call) => recordScreenedCall(db.fork(), config.defaultCountry, call),
        recordOutcome: async (outcome) => {
          try {
            return await storeOutcome(outcome);
          } catch (err) {
            // The caller has made their choice whatever the database's state: keep it
            // on disk and store it when the database is back.
            logger.error({ err: (err as Error).message, channelId: outcome.channelId }, 'could not store a call outcome; spooling it');
            await spool.put(outcome);
            return null;
          }
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

  // --- hours ---------------------------------------------------------------------
  // Tells Asterisk whether each number is open (globals MCR_OPEN_*), so the
  // dialplan decides before ringing; again after every ARI (re)connect.
  let hours: OpenStatePublisher | null = null;
  if (ari && config.ari) {
    const publisher = new OpenStatePublisher({ db, globals: new AriGlobalVariables(config.ari), logger: logger.child({ part: 'hours' }) });
    ari.onConnected(() => void publisher.publishNow('ARI connected'));
    publisher.start();
    hours = publisher;
  }

  // --- ami ---------------------------------------------------------------------
  // Calls that never reach the Stasis app (hung up while ringing, app down, queue
  // abandons, voicemail) still become a lead and a callback task.
  let ami: AmiPart | null = null;
  if (config.roles.includes('ari') && config.amiUrl) {
    ami = startAmiPart({
      url: config.amiUrl,
      db,
      events,
      logger: logger.child({ part: 'ami' }),
      defaultCountry: config.defaultCountry,
      graceMs: options.tuning?.amiGraceMs,
      maxBackoffMs: options.tuning?.amiMaxBackoffMs,
    });
  }
  // --- end ami -----------------------------------------------------------------

  // --- staff alerts (issue 8) -----------------------------------------------------
  // The outage monitor runs on every instance (each watches its own parts); the
  // dispatcher, e-mail sender and the timed jobs run with the admin role.
  const alerts = startStaffAlerts({
    db,
    config,
    logger: logger.child({ part: 'alerts' }),
    runWorkers: config.roles.includes('admin'),
    partStates: () => ({
      ari: ari ? toPartState(ari.state) : 'off',
      smpp: smpp ? toPartState(smpp.state) : 'off',
      ami: ami ? toPartState(ami.state) : 'off',
    }),
    wakeOutbox: () => outbox?.wake(),
    tuning: { pollMs: options.tuning?.alertsPollMs, jobsMs: options.tuning?.alertJobsMs, outageCheckMs: options.tuning?.outageCheckMs },
  });
  // --- end staff alerts ----------------------------------------------------------

  // --- admin role ----------------------------------------------------------------
  let admin: FastifyInstance | null = null;
  let adminUrl: string | null = null;
  if (config.roles.includes('admin')) {
    admin = await buildAdminApp({
      db,
      recordings,
      logger,
      hoursChanged: () => void hours?.publishNow('hours changed'),
      defaultCountry: config.defaultCountry,
      defaultSenderId: config.smppSourceAddr,
      health: {
        database: async () => ((await isDatabaseUp(db)) ? 'up' : 'down'),
        ari: () => (ari ? toPartState(ari.state) : 'off'),
        ami: () => (ami ? toPartState(ami.state) : 'off'),
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
      await hours?.stop();
      await ari?.stop();
      await ami?.stop(); // records the calls still in their grace period, so before the database closes
      await partsSweep?.stop();
      await voicemails?.stop();
      await alerts.stop(); // before the outbox: the dispatcher may still queue staff texts
      await outbox?.stop();
      await smpp?.stop();
      await admin?.close();
      await db.close();
    })());

  return {
    db,
    events,
    adminUrl,
    admin,
    ari,
    ami,
    smpp,
    outbox,
    outcomeSpool,
    alerts,
    voicemails,
    activeCalls: () => router?.activeCalls ?? 0,
    stop,
  };
}

function toPartState(state: string): PartState {
  if (state === 'connected' || state === 'bound') return 'up';
  if (state === 'connecting') return 'connecting';
  return 'down';
}
