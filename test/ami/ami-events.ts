/**
 * AMI events as Asterisk 22 writes them (header names and order as on the
 * wire), for the fake AMI to send and, lower-cased, for the pure mapping tests.
 */

let serial = 0;

/** A fresh uniqueid in Asterisk's `epoch.sequence` form. */
export function nextUniqueid(): string {
  serial += 1;
  return `1763712000.${serial}${Math.floor(Math.random() * 1000)}`;
}

export interface Caller {
  uniqueid: string;
  linkedid?: string;
  number?: string;
  name?: string;
}

/** The channel headers every call event starts with (ChannelSnapshot). */
function channel(caller: Caller, context: string, exten: string): Record<string, string> {
  return {
    Channel: 'PJSIP/trunk-00000042',
    ChannelState: '6',
    ChannelStateDesc: 'Up',
    CallerIDNum: caller.number ?? '+14155550142',
    CallerIDName: caller.name ?? '<unknown>',
    ConnectedLineNum: '<unknown>',
    ConnectedLineName: '<unknown>',
    Language: 'en',
    AccountCode: '',
    Context: context,
    Exten: exten,
    Priority: '2',
    Uniqueid: caller.uniqueid,
    Linkedid: caller.linkedid ?? caller.uniqueid,
  };
}

/** The dialplan's `UserEvent(MissedCallRecovery,Outcome: ...,Reason: ...,Did: ...)`. */
export function missedCallUserEvent(
  caller: Caller,
  outcome: 'ABANDONED' | 'STASIS_FAILED' | 'DIAL_FAILED' | string,
  reason = 'CANCEL',
  did = '+14155559999',
): Record<string, string> {
  // ABANDONED is raised from the h extension; the others from the main extension.
  const exten = outcome === 'ABANDONED' ? 'h' : did;
  return {
    Event: 'UserEvent',
    Privilege: 'user,all',
    ...channel(caller, 'missed-call-recovery', exten),
    UserEvent: 'MissedCallRecovery',
    Outcome: outcome,
    Reason: reason,
    Did: did,
  };
}

export function queueCallerAbandon(caller: Caller, exten = '4155559999'): Record<string, string> {
  return {
    Event: 'QueueCallerAbandon',
    Privilege: 'agent,all',
    ...channel(caller, 'from-trunk', exten),
    Queue: 'support',
    Position: '1',
    OriginalPosition: '1',
    HoldTime: '42',
  };
}

/** cdr_manager's Cdr event for the caller's channel. */
export function cdr(
  caller: Caller,
  lastApplication = 'VoiceMail',
  disposition = 'ANSWERED',
  destination = '+14155559999',
  durationSeconds = 35,
): Record<string, string> {
  return {
    Event: 'Cdr',
    Privilege: 'cdr,all',
    AccountCode: '',
    Source: caller.number ?? '+14155550142',
    Destination: destination,
    DestinationContext: 'missed-call-recovery',
    CallerID: `"${caller.name ?? ''}" <${caller.number ?? '+14155550142'}>`,
    Channel: 'PJSIP/trunk-00000042',
    DestinationChannel: '',
    LastApplication: lastApplication,
    LastData: '100@default,u',
    StartTime: '2025-11-21 09:00:00',
    AnswerTime: '2025-11-21 09:00:20',
    EndTime: '2025-11-21 09:00:35',
    Duration: String(durationSeconds),
    BillableSeconds: '15',
    Disposition: disposition,
    AMAFlags: 'DOCUMENTATION',
    UniqueID: caller.uniqueid,
    UserField: '',
  };
}

/** DialEnd for the caller's Dial() to reception; status CANCEL when the caller gave up. */
export function dialEnd(caller: Caller, status: string, did = '+14155559999', context = 'missed-call-recovery'): Record<string, string> {
  return {
    Event: 'DialEnd',
    Privilege: 'call,all',
    ...channel(caller, context, did),
    DestChannel: 'PJSIP/reception-00000043',
    DestChannelState: '5',
    DestChannelStateDesc: 'Ringing',
    DestCallerIDNum: 'reception',
    DestCallerIDName: '<unknown>',
    DestContext: 'from-internal',
    DestExten: did,
    DestPriority: '1',
    DestUniqueid: `${caller.uniqueid}9`,
    DestLinkedid: caller.linkedid ?? caller.uniqueid,
    DialStatus: status,
  };
}

export function hangup(caller: Caller, context = 'missed-call-recovery'): Record<string, string> {
  return {
    Event: 'Hangup',
    Privilege: 'call,all',
    ...channel(caller, context, 'h'),
    Cause: '16',
    'Cause-txt': 'Normal Clearing',
  };
}

/** The event as asterisk-manager hands it over: header names lower-cased. */
export function asParsed(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key.toLowerCase(), value]));
}
