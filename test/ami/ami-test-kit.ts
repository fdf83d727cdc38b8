import { startAmiPart, type AmiPart, type AmiPartOptions } from '../../ari-app/ami/start-ami-part.js';
import type { Database } from '../../core/db/database.js';
import { DomainEventBus } from '../../core/events.js';
import { createLogger } from '../../core/logging.js';
import { createFakeAmi, type FakeAmi } from '../fakes/ami/index.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface AmiRig {
  ami: FakeAmi;
  part: AmiPart;
  events: DomainEventBus;
  /** Every log line the part wrote, parsed, as pino wrote it (the raw text is in `rawLogs`). */
  logs: LogLine[];
  rawLogs: string[];
  stop(): Promise<void>;
}

export const AMI_SECRET = 'ami-Secret-9f8e7d6c5b4a';

/** The AMI part against a fake AMI over TCP, logging at debug into memory. */
export async function startAmiRig(
  db: Database,
  options: { secret?: string; part?: Partial<AmiPartOptions>; waitForLogin?: boolean } = {},
): Promise<AmiRig> {
  const ami = await createFakeAmi({ username: 'missed-call-recovery', password: AMI_SECRET });
  const logs: LogLine[] = [];
  const rawLogs: string[] = [];
  const logger = createLogger('debug', {
    write: (line: string) => {
      rawLogs.push(line);
      logs.push(JSON.parse(line) as LogLine);
    },
  });
  const events = new DomainEventBus();
  const url = new URL(ami.url);
  url.password = encodeURIComponent(options.secret ?? AMI_SECRET);
  const part = startAmiPart({
    url: url.toString(),
    db,
    events,
    logger,
    defaultCountry: 'US',
    graceMs: 100,
    retryDelaysMs: [50, 100],
    maxBackoffMs: 200,
    ...options.part,
  });
  if (options.waitForLogin !== false) await until(() => part.state === 'connected', 5000, 'AMI login');
  return {
    ami,
    part,
    events,
    logs,
    rawLogs,
    stop: async () => {
      await part.stop();
      await ami.close();
    },
  };
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the part has finished with this uniqueid (recorded it, or found it already recorded). */
export function settled(rig: AmiRig, uniqueid: string, timeoutMs = 5000): Promise<void> {
  return until(
    () => rig.logs.some((line) => line.uniqueid === uniqueid && /^unanswered call (already )?recorded$/.test(line.msg)),
    timeoutMs,
    `the AMI part to settle ${uniqueid}`,
  );
}
