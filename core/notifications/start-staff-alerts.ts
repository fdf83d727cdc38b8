import { hostname } from 'node:os';
import type { Config } from '../config/load-config.js';
import type { Database } from '../db/database.js';
import type { EventConsumer } from '../integration/event-consumer.js';
import type { Logger } from '../logging.js';
import { queueDueDigests } from './digests.js';
import { EmailSender } from './email-sender.js';
import { createSmtpTransport, type MailTransport } from './mail-transport.js';
import { createNotificationDispatcher } from './notification-dispatcher.js';
import { sweepOverdueCallbacks } from './overdue-callbacks.js';
import { PartOutageMonitor, type MonitoredPart, type ObservedState } from './part-outages.js';
import { PeriodicJobs } from './periodic-jobs.js';
import { queueDueWeeklyReports } from '../reports/weekly-report.js';

export interface StaffAlerts {
  dispatcher: EventConsumer | null;
  emails: EmailSender | null;
  jobs: PeriodicJobs | null;
  monitor: PartOutageMonitor;
  stop(): Promise<void>;
}

export interface StaffAlertsOptions {
  db: Database;
  config: Config;
  logger: Logger;
  /** The dispatcher, the e-mail sender and the timed jobs (the admin role); the outage monitor always. */
  runWorkers: boolean;
  partStates: () => Partial<Record<MonitoredPart, ObservedState>>;
  wakeOutbox: () => void;
  /** Tests and the demo pass their own transport (otherwise SMTP_URL's). */
  mailTransport?: MailTransport;
  tuning?: { pollMs?: number; jobsMs?: number; outageCheckMs?: number };
}

/** Wires the staff alert parts (cli/start-app.ts calls it once). */
export function startStaffAlerts(options: StaffAlertsOptions): StaffAlerts {
  const { db, config, logger } = options;
  const monitor = new PartOutageMonitor({
    db,
    states: options.partStates,
    downAfterMs: config.alerts.partDownAlertMinutes * 60_000,
    intervalMs: options.tuning?.outageCheckMs,
    instanceId: `${hostname()}:${process.pid}`,
    logger,
  });
  monitor.start();
  if (!options.runWorkers) return { dispatcher: null, emails: null, jobs: null, monitor, stop: () => monitor.stop() };

  const transport = options.mailTransport ?? (config.alerts.smtpUrl ? createSmtpTransport(config.alerts.smtpUrl) : null);
  if (!transport) logger.warn('SMTP_URL is not set: alert, digest and report e-mails wait in the queue (GET /api/notifications)');
  const emails = transport
    ? new EmailSender({ db, transport, from: config.alerts.mailFrom, logger, pollMs: options.tuning?.pollMs })
    : null;
  const dispatcher = createNotificationDispatcher({
    db,
    logger,
    defaultSenderId: config.smppSourceAddr,
    pollMs: options.tuning?.pollMs,
    onQueued: (result) => {
      if (result.texts > 0) options.wakeOutbox();
      if (result.emails > 0) emails?.wake();
    },
  });
  const jobs = new PeriodicJobs(
    [
      {
        name: 'overdue callbacks',
        run: async (now) => {
          if ((await sweepOverdueCallbacks(db, { now, managerDelayMs: config.alerts.managerEscalationMinutes * 60_000 })) > 0) dispatcher.wake();
        },
      },
      { name: 'digests', run: async (now) => ((await queueDueDigests(db, now)) > 0 ? emails?.wake() : undefined) },
      { name: 'weekly reports', run: async (now) => ((await queueDueWeeklyReports(db, now)) > 0 ? emails?.wake() : undefined) },
    ],
    { intervalMs: options.tuning?.jobsMs, logger },
  );
  dispatcher.start();
  emails?.start();
  jobs.start();
  return {
    dispatcher,
    emails,
    jobs,
    monitor,
    stop: async () => {
      await monitor.stop();
      await jobs.stop();
      await dispatcher.stop();
      await emails?.stop();
      transport?.close();
    },
  };
}
