/** How data_coding 0 (SMSC default alphabet) is read and written by the fake. */
export type DefaultAlphabet = 'latin1' | 'gsm7';

export interface FakeSmscOptions {
  /** Accepted system_id (default 'mcr'). */
  systemId?: string;
  /** Accepted password (default 'secret'). */
  password?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Address to listen on (default 127.0.0.1; the compose stack's simulator uses 0.0.0.0). */
  host?: string;
  /** Delay before the automatic delivery receipt (default 20 ms); null: never automatic. */
  receiptDelayMs?: number | null;
  /** data_coding 0 is decoded and encoded as Latin-1 (default) or unpacked GSM 03.38. */
  defaultAlphabet?: DefaultAlphabet;
}

export type BindMode = 'transceiver' | 'transmitter' | 'receiver';

export interface BoundSession {
  sessionId: number;
  systemId: string;
  mode: BindMode;
}

export interface ConcatInfo {
  /** Reference shared by every part of one long message. */
  ref: number;
  total: number;
  /** 1-based part number. */
  seq: number;
  /** Where it came from: UDH information element 0x00 / 0x08, or sar_* TLVs. */
  source: 'udh8' | 'udh16' | 'sar';
}

export interface SubmittedMessage {
  /** The id the fake answered in submit_sm_resp (hex digits, unique). */
  messageId: string;
  /** source_addr */
  from: string;
  /** destination_addr */
  to: string;
  sourceTon: number;
  sourceNpi: number;
  destTon: number;
  destNpi: number;
  /** This PDU's text, decoded from the bytes on the wire (UDH removed). */
  text: string;
  /** The message bytes as sent, UDH removed (short_message, or message_payload). */
  payload: Buffer;
  dataCoding: number;
  esmClass: number;
  /** The user data header as sent, including its length octet, when esm_class has 0x40. */
  udh?: Buffer;
  concat?: ConcatInfo;
  registeredDelivery: number;
  serviceType: string;
  /** Other TLVs, raw, by tag. */
  tlvs: ReadonlyMap<number, Buffer>;
  systemId: string;
  sessionId: number;
  sequenceNumber: number;
  receivedAt: Date;
  /** performance.now() when the PDU was read. */
  receivedAtPerf: number;
}

/** Final states a receipt can report (SMPP 3.4 appendix B). */
export type ReceiptStat = 'DELIVRD' | 'EXPIRED' | 'DELETED' | 'UNDELIV' | 'ACCEPTD' | 'UNKNOWN' | 'REJECTD';

export interface MobileOriginated {
  /** Digits (a leading '+' is dropped) go out as TON 1 / NPI 1, anything else as alphanumeric. */
  from: string;
  to: string;
  text: string;
  /** Default: 0 when the text fits the default alphabet, otherwise 8 (UCS-2). */
  dataCoding?: number;
  /** A user data header (with its length octet) to send before the text; sets esm_class 0x40. */
  udh?: Buffer;
  /** One part of a long text tied by sar_* TLVs (16-bit reference) instead of a header. */
  sar?: { reference: number; total: number; seq: number };
}

export type DeliveryKind = 'mo' | 'receipt';

export interface DeliverResponse {
  kind: DeliveryKind;
  /** For receipts: the receipted message id. */
  messageId?: string;
  /** command_status of the deliver_sm_resp (or of a generic_nack). */
  status: number;
  sessionId: number;
  at: Date;
}

export interface DeliverOptions {
  /** Reject when no ESME has answered in time (default 5000 ms). Undelivered
   * deliver_sm wait for a bound receiver, as a real SMSC stores them. */
  timeoutMs?: number;
}

export interface FakeSmscEvents {
  submit: [message: SubmittedMessage];
  bind: [session: BoundSession];
  deliver_resp: [response: DeliverResponse];
  session_close: [sessionId: number];
}

export type StallScope = 'submit' | 'all';

/** A submit_sm the fake answered with an error status (throttling, a forced error). */
export interface RefusedSubmit {
  sessionId: number;
  status: number;
  /** performance.now() when the PDU was read. */
  receivedAtPerf: number;
}

/** How the automatic receipt for one accepted message goes: its stat and its delay. null: none. */
export type ReceiptPlan = (message: SubmittedMessage) => { stat: ReceiptStat; delayMs: number; err?: string } | null;

export interface FakeSmsc {
  /** smpp://systemId:password@127.0.0.1:port */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
  readonly password: string;
  /** Accepted submit_sm, oldest first. */
  readonly submitted: readonly SubmittedMessage[];
  /** Every deliver_sm_resp / generic_nack received for a deliver_sm. */
  readonly deliverResponses: readonly DeliverResponse[];
  /** Open TCP sessions. */
  readonly sessions: number;
  readonly bound: readonly BoundSession[];
  /** enquire_link requests received. */
  readonly enquireLinks: number;
  /** submit_sm left unanswered while stalled. */
  readonly stalledSubmits: number;
  /** submit_sm received and not yet answered, over every session, right now. */
  readonly outstandingSubmits: number;
  /** The most submit_sm one session has had unanswered at once (since the last reset). */
  readonly maxOutstandingSubmits: number;
  /** submit_sm answered with an error status, oldest first. */
  readonly refusedSubmits: readonly RefusedSubmit[];
  /** Socket and parse errors seen on sessions (ECONNRESET after a drop, ...). */
  readonly sessionErrors: readonly Error[];

  /** Sends a mobile-originated deliver_sm to every bound receiver/transceiver
   * (queued until one binds); resolves with the first deliver_sm_resp status. */
  sendMo(mo: MobileOriginated, options?: DeliverOptions): Promise<number>;
  /** Sends a delivery receipt for a submitted message; resolves with the deliver_sm_resp status. */
  sendReceipt(messageId: string, stat?: ReceiptStat, options?: DeliverOptions & { err?: string }): Promise<number>;
  /** First submitted message (already received or still to come) matching the predicate. */
  waitForSubmit(predicate?: (message: SubmittedMessage) => boolean, timeoutMs?: number): Promise<SubmittedMessage>;
  /** Resolves once at least one session is bound (immediately when one already is). */
  waitForBind(timeoutMs?: number): Promise<BoundSession>;
  on<K extends keyof FakeSmscEvents>(event: K, listener: (...args: FakeSmscEvents[K]) => void): this;
  off<K extends keyof FakeSmscEvents>(event: K, listener: (...args: FakeSmscEvents[K]) => void): this;
  /** Destroys every TCP session at once (no unbind); resolves when all are closed. */
  dropConnections(): Promise<void>;
  /** On: submit_sm is answered ESME_RTHROTTLED. */
  setThrottle(on: boolean): void;
  /** Non-null: submit_sm is answered with this status (e.g. ESME_RINVDSTADR). */
  setSubmitError(status: number | null): void;
  /** On: submit_sm ('submit') or every request ('all', enquire_link and binds too) is left unanswered. */
  setStall(on: boolean, scope?: StallScope): void;
  /** Every submit_sm_resp is held back this long (0: answered at once), so a window fills up. */
  setSubmitDelay(ms: number): void;
  /** Starts counting maxOutstandingSubmits afresh. */
  resetMaxOutstanding(): void;
  /** Replaces the automatic receipts (default: DELIVRD after receiptDelayMs); null restores them. */
  setReceiptPlan(plan: ReceiptPlan | null): void;
  /** Closes every session and the listener; pending sendMo/sendReceipt reject. */
  close(): Promise<void>;
}
