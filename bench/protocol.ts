/**
 * What the bench (parent process) and the app under test (child process) say to
 * each other over the IPC channel. The app runs in its own process so that its
 * memory and CPU are measured apart from the fakes and the load generator.
 */

/** Resource use of one process over an interval (since the last reset). */
export interface Usage {
  rssMb: number;
  rssPeakMb: number;
  heapUsedMb: number;
  /** CPU time used over the interval, as a share of one core (1 = one core busy all the time). */
  cpuCores: number;
  /** Event-loop delay over the interval, ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  intervalMs: number;
  /** SQL statements the app sent over the interval (app process only). */
  dbQueries?: number;
}

export interface SeedHistoryArgs {
  /** Historical calls i in [from, to] (1 = newest); one lead per call. */
  from: number;
  to: number;
  /** Calls 1..openTasks each have an open (or claimed) callback task. */
  openTasks: number;
  /** Time between two historical calls, seconds (newest at now - step). */
  stepSeconds: number;
  /** Rows per INSERT statement. */
  chunk: number;
}

export interface QueueTextsArgs {
  count: number;
  /** First recipient index (recipients are distinct across rounds). */
  first: number;
}

export interface SmppBaselineArgs {
  url: string;
  count: number;
}

export interface SmppBaselineResult {
  rttsMs: number[];
  elapsedMs: number;
}

/** Requests the parent sends, by command name: [arguments, answer]. */
export interface Commands {
  usage: [{ reset: boolean }, Usage];
  seedHistory: [SeedHistoryArgs, { ms: number; rows: { lead: number; call: number; callback_task: number } }];
  /** VACUUM ANALYZE and CHECKPOINT after generating history. */
  settleHistory: [Record<string, never>, { ms: number }];
  explainCallbacks: [Record<string, never>, { plan: string[] }];
  countRows: [Record<string, never>, { call: number; callback_task: number; open_tasks: number }];
  /** Queues outbox rows in one statement, then wakes the worker; `committedAt` is epoch ms (performance.timeOrigin based). */
  queueTexts: [QueueTextsArgs, { committedAt: number; insertMs: number }];
  smppBaseline: [SmppBaselineArgs, SmppBaselineResult];
  outboxCounts: [Record<string, never>, Record<string, number>];
  /** Deletes the bench's texts still queued (after a time-bounded measurement); answers how many. */
  cancelQueuedTexts: [Record<string, never>, { cancelled: number }];
  /** Calls in the IVR right now. */
  activeCalls: [Record<string, never>, { calls: number }];
  /** Marks done the callback tasks of the bench's own callers (the held callers who hung up). */
  closeCallerCallbacks: [{ phonePrefix: string }, { closed: number }];
  stop: [Record<string, never>, { ms: number }];
}

export type CommandName = keyof Commands;

export interface RequestMessage {
  id: number;
  command: CommandName;
  args: unknown;
}

export type ResponseMessage = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** The child's first message, once the app is connected to the fake PBX and bound to the fake SMSC. */
export interface ReadyMessage {
  ready: true;
  adminUrl: string;
  database: 'embedded' | 'server';
  startMs: number;
  smppWindow: number;
  smppMaxPerSecond: number;
}

export interface FailedMessage {
  ready: false;
  error: string;
}
