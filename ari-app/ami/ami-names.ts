/**
 * AMI names the listener reads (STYLE.md: names as constants, not scattered
 * literals). asterisk-manager lower-cases event and header names, so they are
 * kept here in that form.
 */
export const AmiEvent = {
  UserEvent: 'userevent',
  QueueCallerAbandon: 'queuecallerabandon',
  Hangup: 'hangup',
  DialEnd: 'dialend',
  Cdr: 'cdr',
} as const;

export const AmiHeader = {
  Event: 'event',
  UserEvent: 'userevent',
  Outcome: 'outcome',
  Did: 'did',
  RingSeconds: 'ringseconds',
  Uniqueid: 'uniqueid',
  Linkedid: 'linkedid',
  CallerIdNum: 'calleridnum',
  CallerIdName: 'calleridname',
  Context: 'context',
  Exten: 'exten',
  DialStatus: 'dialstatus',
  /** Present when manager.conf has `timestampevents = yes`: seconds since the epoch, with decimals. */
  Timestamp: 'timestamp',
  // Cdr (cdr_manager): caller number, caller id, dialled extension, last app, disposition, seconds.
  Source: 'source',
  CallerId: 'callerid',
  Destination: 'destination',
  LastApplication: 'lastapplication',
  Disposition: 'disposition',
  Duration: 'duration',
} as const;

/** The UserEvent the project's dialplan raises for calls that never reach the app. */
export const MISSED_CALL_USER_EVENT = 'MissedCallRecovery';

/** The dialplan context the plug-in ships (dialplan/extensions_missed_call_recovery.conf). */
export const PLUGIN_CONTEXT = 'missed-call-recovery';

/** Outcome header values of the MissedCallRecovery UserEvent. */
export const UserEventOutcome = {
  Abandoned: 'ABANDONED',
  StasisFailed: 'STASIS_FAILED',
  DialFailed: 'DIAL_FAILED',
} as const;

/** What Asterisk puts in CallerIDNum / CallerIDName when there is none. */
export const AMI_UNKNOWN = '<unknown>';
