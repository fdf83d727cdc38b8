import type { UnansweredCall } from '../../core/leads/record-unanswered-call.js';
import { channelIdHeader, eventName, eventTime, headerText, type AmiMessage } from './ami-headers.js';
import { AmiEvent, AmiHeader, PLUGIN_CONTEXT } from './ami-names.js';

export interface AbandonTrackerOptions {
  /** Only calls ringing in this dialplan context are followed (default: the plug-in's). */
  context?: string;
  /** Calls followed at once, at most; the oldest is forgotten first. */
  maxCalls?: number;
  /** A call with no Hangup after this long is forgotten. */
  maxAgeMs?: number;
}

interface Followed {
  call: Omit<UnansweredCall, 'reason' | 'at'>;
  cancelled: boolean;
  answered: boolean;
  since: number;
}

/**
 * A second witness for "hung up while ringing", from the `call` event class
 * alone: the caller's channel had a DialEnd with DialStatus CANCEL (the caller
 * gave up), none with ANSWER (when one leg answers the others end CANCEL too),
 * and then hung up. The dialplan's ABANDONED UserEvent says the same when the
 * AMI user may read `user` events; this catches the calls when it may not, or
 * when the h extension never ran. Both go through the same idempotent recording.
 * State lives in memory, bounded; nothing here does I/O.
 */
export class AbandonTracker {
  private readonly followed = new Map<string, Followed>();
  private readonly context: string;
  private readonly maxCalls: number;
  private readonly maxAgeMs: number;

  constructor(options: AbandonTrackerOptions = {}) {
    this.context = options.context ?? PLUGIN_CONTEXT;
    this.maxCalls = options.maxCalls ?? 5000;
    this.maxAgeMs = options.maxAgeMs ?? 2 * 60 * 60 * 1000;
  }

  /** How many calls are being followed (for tests and metrics). */
  get size(): number {
    return this.followed.size;
  }

  /** Feeds one event; returns the abandoned call a Hangup completes, else null. */
  observe(event: AmiMessage, receivedAt: Date): UnansweredCall | null {
    switch (eventName(event)) {
      case AmiEvent.DialEnd:
        this.onDialEnd(event, receivedAt);
        return null;
      case AmiEvent.Hangup:
        return this.onHangup(event, receivedAt);
      default:
        return null;
    }
  }

  private onDialEnd(event: AmiMessage, receivedAt: Date): void {
    // The un-prefixed channel headers of DialEnd describe the caller; Dest* the phone that rang.
    if (headerText(event, AmiHeader.Context) !== this.context) return;
    const uniqueid = channelIdHeader(event, AmiHeader.Uniqueid);
    if (!uniqueid) return;
    const status = (headerText(event, AmiHeader.DialStatus) ?? '').toUpperCase();
    const entry = this.followed.get(uniqueid) ?? {
      call: {
        uniqueid,
        linkedid: channelIdHeader(event, AmiHeader.Linkedid),
        callerNumber: headerText(event, AmiHeader.CallerIdNum),
        callerName: headerText(event, AmiHeader.CallerIdName),
        // While Dial() runs, the caller's extension is the number they dialled.
        did: headerText(event, AmiHeader.Exten),
      },
      cancelled: false,
      answered: false,
      since: receivedAt.getTime(),
    };
    if (status === 'CANCEL') entry.cancelled = true;
    if (status === 'ANSWER') entry.answered = true;
    this.followed.set(uniqueid, entry);
    this.prune(receivedAt.getTime());
  }

  private onHangup(event: AmiMessage, receivedAt: Date): UnansweredCall | null {
    const uniqueid = channelIdHeader(event, AmiHeader.Uniqueid);
    if (!uniqueid) return null;
    const entry = this.followed.get(uniqueid);
    if (!entry) return null;
    this.followed.delete(uniqueid);
    if (!entry.cancelled || entry.answered) return null;
    return { ...entry.call, reason: 'ABANDONED', at: eventTime(event, receivedAt) };
  }

  private prune(now: number): void {
    // Map keeps insertion order: the oldest entries come first.
    for (const [uniqueid, entry] of this.followed) {
      if (this.followed.size <= this.maxCalls && now - entry.since <= this.maxAgeMs) break;
      this.followed.delete(uniqueid);
    }
  }
}
