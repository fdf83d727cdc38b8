/**
 * The port between the outbox and whatever carries texts (SMPP here). The
 * outcome says exactly how much we know, because that decides whether a text
 * may be sent again without risking a duplicate.
 */
export interface OutboundSms {
  from: string;
  to: string;
  text: string;
}

export type SubmitOutcome =
  /** The SMSC took it and gave its message id. */
  | { status: 'accepted'; messageId: string }
  /** The SMSC refused it; `permanent` means retrying the same number is pointless. */
  | { status: 'rejected'; permanent: boolean; code: number; error: string }
  /** The SMSC asked us to slow down (ESME_RTHROTTLED, ESME_RMSGQFUL): safe to retry later. */
  | { status: 'throttled'; code: number }
  /** Never written to the wire (not bound, connection down first): safe to retry. */
  | { status: 'not_sent'; error: string }
  /** Written, but no answer came: the SMSC may or may not have it. */
  | { status: 'unknown'; error: string };

export type TransportState = 'disconnected' | 'connecting' | 'bound' | 'closing';

export interface SmsTransport {
  readonly state: TransportState;
  submit(sms: OutboundSms): Promise<SubmitOutcome>;
}
