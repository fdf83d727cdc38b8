import type { Database } from '../../core/db/database.js';
import type { DomainEventBus } from '../../core/events.js';
import { recordUnansweredCall } from '../../core/leads/record-unanswered-call.js';
import type { Logger } from '../../core/logging.js';
import { AmiConnection, type AmiState } from './ami-connection.js';
import { parseAmiUrl } from './ami-url.js';
import { UnansweredCallListener } from './unanswered-call-listener.js';

export interface AmiPartOptions {
  /** AMI_URL: `ami://user:secret@host:5038`. */
  url: string;
  db: Database;
  events: DomainEventBus;
  logger: Logger;
  defaultCountry: string;
  /** Wait before recording (default 30 s), so the IVR's own record of a call is committed first. */
  graceMs?: number;
  retryDelaysMs?: readonly number[];
  maxBackoffMs?: number;
  keepaliveMs?: number;
  answerTimeoutMs?: number;
}

export interface AmiPart {
  readonly state: AmiState;
  /** Stops listening, then records the calls still waiting for their grace period. */
  stop(): Promise<void>;
}

/**
 * The AMI side of the call role: calls that never reach the Stasis app (hung up
 * while ringing, app down, queue abandons, voicemail) still become a lead and a
 * callback task. Throws at once on a malformed AMI_URL; an unreachable PBX is
 * retried forever.
 */
export function startAmiPart(options: AmiPartOptions): AmiPart {
  const target = parseAmiUrl(options.url);
  const { db, events, logger } = options;
  const listener = new UnansweredCallListener({
    logger,
    graceMs: options.graceMs,
    retryDelaysMs: options.retryDelaysMs,
    record: async (call) => {
      const recorded = await recordUnansweredCall(db.fork(), { defaultCountry: options.defaultCountry }, call);
      logger.info(
        { uniqueid: call.uniqueid, reason: call.reason, duplicate: recorded.duplicate, taskCreated: recorded.taskCreated },
        recorded.duplicate ? 'unanswered call already recorded' : 'unanswered call recorded',
      );
      if (recorded.taskCreated && recorded.callbackTaskId && recorded.callbackReason) {
        events.emit('callback.created', {
          channelId: call.uniqueid,
          callbackTaskId: recorded.callbackTaskId,
          reason: recorded.callbackReason,
          at: performance.now(),
        });
      }
    },
  });
  const connection = new AmiConnection({
    target,
    logger,
    onEvent: (event) => listener.handle(event),
    maxBackoffMs: options.maxBackoffMs,
    keepaliveMs: options.keepaliveMs,
    answerTimeoutMs: options.answerTimeoutMs,
  });
  connection.start();
  return {
    get state() {
      return connection.state;
    },
    stop: async () => {
      await connection.stop();
      await listener.stop();
    },
  };
}
