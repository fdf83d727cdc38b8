import type { UnansweredReason } from '../../core/entities/index.js';
import type { UnansweredCall } from '../../core/leads/record-unanswered-call.js';
import { channelIdHeader, eventName, eventTime, headerText, type AmiMessage } from './ami-headers.js';
import { AmiEvent, AmiHeader, MISSED_CALL_USER_EVENT, UserEventOutcome } from './ami-names.js';

const REASON_OF_OUTCOME: Readonly<Record<string, UnansweredReason>> = {
  [UserEventOutcome.Abandoned]: 'ABANDONED',
  [UserEventOutcome.StasisFailed]: 'STASIS_FAILED',
  [UserEventOutcome.DialFailed]: 'DIAL_FAILED',
};

/** A CDR longer than a day is not one call's ring-and-voicemail: the arrival time is kept then. */
const MAX_CDR_SECONDS = 24 * 60 * 60;

/**
 * Reads one AMI event (as asterisk-manager hands it over: header names
 * lower-cased) into the call it reports as unanswered, or null when it reports
 * none. Pure: no I/O, no clock but the one passed in.
 *
 * - UserEvent `MissedCallRecovery` (the project's dialplan): Outcome ABANDONED,
 *   STASIS_FAILED or DIAL_FAILED, Did, and the channel's own headers.
 * - QueueCallerAbandon: the caller gave up waiting in a queue.
 * - Cdr whose last application is VoiceMail and which VoiceMail answered: the
 *   caller got a mailbox, not a person.
 */
export function toUnansweredCall(event: AmiMessage, receivedAt: Date): UnansweredCall | null {
  switch (eventName(event)) {
    case AmiEvent.UserEvent:
      return fromUserEvent(event, receivedAt);
    case AmiEvent.QueueCallerAbandon:
      return fromQueueCallerAbandon(event, receivedAt);
    case AmiEvent.Cdr:
      return fromCdr(event, receivedAt);
    default:
      return null;
  }
}

function fromUserEvent(event: AmiMessage, receivedAt: Date): UnansweredCall | null {
  if (headerText(event, AmiHeader.UserEvent)?.toLowerCase() !== MISSED_CALL_USER_EVENT.toLowerCase()) return null;
  const reason = REASON_OF_OUTCOME[(headerText(event, AmiHeader.Outcome) ?? '').toUpperCase()];
  const uniqueid = channelIdHeader(event, AmiHeader.Uniqueid);
  if (!reason || !uniqueid) return null;
  return {
    uniqueid,
    linkedid: channelIdHeader(event, AmiHeader.Linkedid),
    callerNumber: headerText(event, AmiHeader.CallerIdNum),
    callerName: headerText(event, AmiHeader.CallerIdName),
    did: headerText(event, AmiHeader.Did),
    reason,
    at: eventTime(event, receivedAt),
    ringSeconds: seconds(headerText(event, AmiHeader.RingSeconds)),
  };
}

/** A whole number of seconds from a header, or null (absent, empty, garbage). */
function seconds(value: string | null): number | null {
  return value && /^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : null;
}

function fromQueueCallerAbandon(event: AmiMessage, receivedAt: Date): UnansweredCall | null {
  const uniqueid = channelIdHeader(event, AmiHeader.Uniqueid);
  if (!uniqueid) return null;
  return {
    uniqueid,
    linkedid: channelIdHeader(event, AmiHeader.Linkedid),
    callerNumber: headerText(event, AmiHeader.CallerIdNum),
    callerName: headerText(event, AmiHeader.CallerIdName),
    // The event has no DID; the extension that ran Queue() is the dialled number in the usual inbound context.
    did: dialledExten(event),
    reason: 'QUEUE_ABANDONED',
    at: eventTime(event, receivedAt),
  };
}

function fromCdr(event: AmiMessage, receivedAt: Date): UnansweredCall | null {
  if (headerText(event, AmiHeader.LastApplication)?.toLowerCase() !== 'voicemail') return null;
  // VoiceMail answers the channel itself to play the greeting; anything else means it never got the caller.
  if (headerText(event, AmiHeader.Disposition)?.toUpperCase() !== 'ANSWERED') return null;
  const uniqueid = channelIdHeader(event, AmiHeader.Uniqueid);
  if (!uniqueid) return null;
  const callerId = parseCallerId(headerText(event, AmiHeader.CallerId));
  return {
    uniqueid,
    // cdr_manager sends no Linkedid; a custom CDR format may.
    linkedid: channelIdHeader(event, AmiHeader.Linkedid),
    callerNumber: headerText(event, AmiHeader.Source) ?? callerId.number,
    callerName: callerId.name,
    did: headerText(event, AmiHeader.Destination),
    reason: 'VOICEMAIL',
    at: cdrStart(event, receivedAt),
  };
}

/**
 * A CDR arrives when the call ends, minutes after the miss. Its StartTime is
 * local time of a zone it does not name, so the start is taken as arrival
 * minus Duration instead.
 */
function cdrStart(event: AmiMessage, receivedAt: Date): Date {
  const seconds = Number(headerText(event, AmiHeader.Duration));
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_CDR_SECONDS) return receivedAt;
  return new Date(receivedAt.getTime() - seconds * 1000);
}

/** `"Jane Doe" <4155550142>` into its name and number; either may be missing. */
function parseCallerId(value: string | null): { name: string | null; number: string | null } {
  if (!value) return { name: null, number: null };
  const match = /^\s*"?([^"<]*)"?\s*<([^>]*)>\s*$/.exec(value);
  if (!match) return { name: null, number: value };
  const name = (match[1] ?? '').trim();
  const number = (match[2] ?? '').trim();
  return { name: name || null, number: number || null };
}

function dialledExten(event: AmiMessage): string | null {
  const exten = headerText(event, AmiHeader.Exten);
  return exten && /^\+?[0-9]{3,20}$/.test(exten) ? exten : null;
}
