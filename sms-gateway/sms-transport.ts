/**
 * The port between the outbox and whatever carries texts (SMPP here). The
 * outcome says exactly how much we know, because that decides whether a text
 * may be sent again without risking a duplicate.
 */
export interface OutboundSms {
  from: string;
  to: string;
  text: string;
  /** Lets the transport pick a connection per business (SMPP_ROUTES). */
  businessId?: string;
}

/** One PDU's worth of a text: part `seq` of `total` (1 of 1 for a short text). */
export interface PartRef {
  seq: number;
  total: number;
}

/** A part the SMSC took, with the id its receipts will carry. */
export interface AcceptedPart extends PartRef {
  messageId: string;
}

export type SubmitOutcome =
  /** The SMSC took every part; `messageId` is the first part's. */
  | { status: 'accepted'; messageId: string; parts: AcceptedPart[]; connection: string }
  /** The SMSC refused the first part; `permanent` means retrying the same number is pointless. Nothing left. */
  | { status: 'rejected'; permanent: boolean; code: number; error: string }
  /** The SMSC asked us to slow down (ESME_RTHROTTLED, ESME_RMSGQFUL) at the first part: nothing left, safe to retry later. */
  | { status: 'throttled'; code: number }
  /** Never written to the wire (not bound, connection down first): safe to retry. */
  | { status: 'not_sent'; error: string }
  /** The guard kept the first part from leaving (opt-out, gate, lease lost, shutdown): nothing left. */
  | { status: 'held'; reason: string; until?: Date }
  /**
   * Some of it may have left and we cannot say all of it did: no answer to a
   * written PDU, or a later part refused, held or cut off after earlier parts
   * were taken. Never resent; `parts` are the ones the SMSC did take.
   */
  | { status: 'unknown'; error: string; parts: AcceptedPart[]; connection?: string };

/** What the guard decided for one PDU; `go` means it called `write` while its decision still held. */
export type GuardVerdict = { go: true } | { go: false; reason: string; until?: Date };

/**
 * Runs right before each submit_sm is written. It must call `write` (which is
 * synchronous: it only hands the PDU to the socket) at most once, and only
 * while whatever made its decision still holds (the outbox holds the
 * recipient's lock in an open transaction), so that no opt-out can be saved
 * between the check and the write.
 */
export type WriteGuard = (part: PartRef, write: () => void) => Promise<GuardVerdict>;

export type TransportState = 'disconnected' | 'connecting' | 'bound' | 'closing';

export interface SmsTransport {
  /** For health: `bound` when every connection is. */
  readonly state: TransportState;
  /** At least one connection can take a text now. */
  readonly ready: boolean;
  /** submit_sm that may be outstanding at once over every connection (the sum of their windows). */
  readonly capacity: number;
  submit(sms: OutboundSms, guard?: WriteGuard): Promise<SubmitOutcome>;
}
