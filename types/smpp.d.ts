/**
 * Types for the `smpp` package (v0.5.x, https://github.com/farhadi/node-smpp),
 * written from lib/smpp.js, lib/pdu.js and lib/defs.js.
 *
 * Importing from ESM: only `connect`, `createSession`, `createServer`, `addCommand`,
 * `addTLV`, `Session`, `Server`, `SecureServer` and `PDU` exist as named exports at run
 * time (Node's CommonJS export detection cannot see the rest, which the library
 * copies onto `exports` in loops). The status codes (`ESME_*`) and constant groups
 * (`ESM_CLASS`, `ENCODING`, ...) live on the default export only:
 *
 *   import smpp from 'smpp';
 *   smpp.ESME_RTHROTTLED; smpp.ESM_CLASS.UDH_INDICATOR;
 *
 * so they are declared on the default export only, and a named import of them is a
 * type error here just as it is an error at run time.
 */
declare module 'smpp' {
  import { EventEmitter } from 'node:events';
  import * as net from 'node:net';
  import * as tls from 'node:tls';

  // ---------------------------------------------------------------------------
  // Commands

  export type RequestCommand =
    | 'alert_notification'
    | 'bind_receiver'
    | 'bind_transmitter'
    | 'bind_transceiver'
    | 'broadcast_sm'
    | 'cancel_broadcast_sm'
    | 'cancel_sm'
    | 'data_sm'
    | 'deliver_sm'
    | 'enquire_link'
    | 'outbind'
    | 'query_broadcast_sm'
    | 'query_sm'
    | 'replace_sm'
    | 'submit_multi'
    | 'submit_sm'
    | 'unbind';

  export type ResponseCommand =
    | 'bind_receiver_resp'
    | 'bind_transmitter_resp'
    | 'bind_transceiver_resp'
    | 'broadcast_sm_resp'
    | 'cancel_broadcast_sm_resp'
    | 'cancel_sm_resp'
    | 'data_sm_resp'
    | 'deliver_sm_resp'
    | 'enquire_link_resp'
    | 'generic_nack'
    | 'query_broadcast_sm_resp'
    | 'query_sm_resp'
    | 'replace_sm_resp'
    | 'submit_multi_resp'
    | 'submit_sm_resp'
    | 'unbind_resp';

  /** Every command the library knows (`alert_notification` has no `_resp`). */
  export type CommandName = RequestCommand | ResponseCommand;

  // ---------------------------------------------------------------------------
  // Message bodies

  /**
   * What you may put in `short_message` / `message_payload` when building a PDU.
   * - `Buffer`: sent as is; `data_coding` and `esm_class` are left as you set them.
   * - `string`: encoded by the library. With `data_coding` unset (null) it picks the
   *   first of GSM 03.38 / Latin-1 / UCS-2 that fits and sets `data_coding` to
   *   0x01 / 0x03 / 0x08. Note 0x01 (IA5) is then sent with unpacked GSM 03.38 bytes
   *   ('@' = 0x00, '$' = 0x02, '_' = 0x11). With data_coding 0 it writes GSM 03.38
   *   bytes; with 8, UTF-16BE (so characters outside the BMP become surrogate pairs).
   * - `{ udh, message }`: `udh` is the whole user data header INCLUDING its leading
   *   length octet (e.g. `05 00 03 ref total seq`); it is prepended and
   *   `esm_class |= 0x40` is set for you.
   */
  export type ShortMessageInput = string | Buffer | { udh?: Buffer; message: string | Buffer };

  /**
   * What a received PDU carries in `short_message` / `message_payload` (when the
   * command has `data_coding`): always an object, never a bare string.
   * - `message` is decoded by `data_coding & 0x0F`: 0 and 1 with the GSM 03.38 table
   *   (one septet per octet, octets >= 0x80 become ' '), 3 Latin-1, 8 UTF-16BE;
   *   anything else (4 binary, 2, 5, ...) stays a `Buffer`.
   * - `udh` is present only when `esm_class & 0x40`: the header split into its
   *   information elements, each `[IEI, IEDL, ...data]` WITHOUT the overall length
   *   octet (so the input and output shapes of `udh` differ).
   */
  export interface DecodedShortMessage {
    message: string | Buffer;
    udh?: Buffer[];
  }

  export interface DestAddress {
    dest_addr_ton?: number;
    dest_addr_npi?: number;
    destination_addr?: string;
    /** Present instead of the address fields for a distribution list. */
    dl_name?: string;
  }

  export interface UnsuccessSme {
    dest_addr_ton: number;
    dest_addr_npi: number;
    destination_addr: string;
    error_status_code: number;
  }

  export interface CallbackNum {
    digit_mode: number;
    ton: number;
    npi: number;
    number: string;
  }

  export interface CallbackNumAtag {
    encoding: number;
    display: Buffer | string;
  }

  export interface BroadcastAreaIdentifier {
    format: number;
    data: Buffer | string;
  }

  /**
   * Mandatory parameters and TLVs, by name, as one flat bag (the library puts every
   * field directly on the PDU object). `SM` is the type of `short_message` and
   * `message_payload`. Times (`schedule_delivery_time`, `validity_period`,
   * `final_date`, `broadcast_end_time`) are written from a `Date` or an SMPP time
   * string and decoded to a `Date` (relative 'R' times become absolute), or '' when
   * empty.
   */
  export interface PduFields<SM> {
    // bind_* / outbind
    system_id?: string;
    password?: string;
    system_type?: string;
    /** Defaults to 0x50 in bind requests (SMPP 5.0). */
    interface_version?: number;
    addr_ton?: number;
    addr_npi?: number;
    address_range?: string;

    // messages
    service_type?: string;
    source_addr_ton?: number;
    source_addr_npi?: number;
    source_addr?: string;
    dest_addr_ton?: number;
    dest_addr_npi?: number;
    destination_addr?: string;
    esme_addr_ton?: number;
    esme_addr_npi?: number;
    esme_addr?: string;
    esm_class?: number;
    protocol_id?: number;
    priority_flag?: number;
    schedule_delivery_time?: string | Date;
    validity_period?: string | Date;
    registered_delivery?: number;
    replace_if_present_flag?: number;
    /** `null` (the default when building) lets the library choose from the text. */
    data_coding?: number | null;
    sm_default_msg_id?: number;
    /** Written with a one-octet length: more than 255 bytes throws in `toBuffer()`. */
    short_message?: SM;
    message_id?: string;
    final_date?: string | Date;
    message_state?: number;
    error_code?: number;
    dest_address?: DestAddress[];
    unsuccess_sme?: UnsuccessSme[];

    // TLVs
    dest_addr_subunit?: number;
    dest_network_type?: number;
    dest_bearer_type?: number;
    dest_telematics_id?: number;
    source_addr_subunit?: number;
    source_network_type?: number;
    source_bearer_type?: number;
    source_telematics_id?: number;
    qos_time_to_live?: number;
    payload_type?: number;
    additional_status_info_text?: string;
    /** Delivery receipts: the message id the receipt is about. */
    receipted_message_id?: string;
    ms_msg_wait_facilities?: number;
    privacy_indicator?: number;
    source_subaddress?: Buffer;
    dest_subaddress?: Buffer;
    user_message_reference?: number;
    user_response_code?: number;
    source_port?: number;
    dest_port?: number;
    /** Concatenation by TLV (16-bit reference). */
    sar_msg_ref_num?: number;
    language_indicator?: number;
    sar_total_segments?: number;
    sar_segment_seqnum?: number;
    sc_interface_version?: number;
    callback_num_pres_ind?: number[];
    callback_num_atag?: Array<CallbackNumAtag | Buffer>;
    number_of_messages?: number;
    callback_num?: Array<CallbackNum | Buffer>;
    dpf_result?: number;
    set_dpf?: number;
    ms_availability_status?: number;
    network_error_code?: Buffer;
    message_payload?: SM;
    delivery_failure_reason?: number;
    more_messages_to_send?: number;
    ussd_service_op?: number;
    broadcast_channel_indicator?: number;
    broadcast_content_type?: { network: number; content_type: number } | Buffer;
    broadcast_content_type_info?: string;
    broadcast_message_class?: number;
    broadcast_rep_num?: number;
    broadcast_frequency_interval?: { unit: number; interval: number } | Buffer;
    broadcast_area_identifier?: Array<BroadcastAreaIdentifier | string | Buffer>;
    failed_broadcast_area_identifier?: Array<BroadcastAreaIdentifier | Buffer>;
    broadcast_error_status?: number[];
    broadcast_area_success?: number;
    broadcast_end_time?: string | Date;
    broadcast_service_group?: string;
    billing_identification?: { format: number; data: Buffer } | Buffer;
    source_network_id?: string;
    dest_network_id?: string;
    source_node_id?: string;
    dest_node_id?: string;
    dest_addr_np_resolution?: number;
    dest_addr_np_information?: string;
    dest_addr_np_country?: number;
    display_time?: number;
    sms_signal?: number;
    ms_validity?: Buffer;
    alert_on_message_delivery?: number;
    alert_on_msg_delivery?: number;
    its_reply_type?: number;
    its_session_info?: Buffer;
    /** congestion_state TLV (SMPP 5.0): 0-100. */
    congestion_state?: number;
  }

  /**
   * Options for `new PDU(command, options)`, the session shortcuts and
   * `pdu.response(options)`. Never pass a TLV key with the value `undefined`:
   * `toBuffer()` then throws (it sizes every TLV key present on the object).
   */
  export interface PduOptions extends PduFields<ShortMessageInput> {
    /** Non-zero: the PDU is header only; every body field is dropped. */
    command_status?: number;
    /** Set by `Session.send` for requests when absent or 0. */
    sequence_number?: number;
  }

  export class PDU {
    /** Build a PDU to send. Mandatory parameters you leave out get their defaults. */
    constructor(command: CommandName, options?: PduOptions);
    /** Parse a complete PDU (header included). */
    constructor(buffer: Buffer);

    /** 'unknown' for a command id the library does not know (no body is parsed). */
    command: CommandName | 'unknown';
    command_id: number;
    command_length: number;
    command_status: number;
    sequence_number: number;

    /** True for `*_resp` and `generic_nack` (bit 31 of command_id). */
    isResponse(): boolean;
    /**
     * The matching `<command>_resp` with this PDU's sequence_number (or a
     * `generic_nack`, status ESME_RINVCMDID by default, for an unknown command).
     * The options object is mutated (sequence_number is written into it).
     */
    response(options?: PduOptions): PDU;
    /** Encodes the PDU. Runs the encode filters, which rewrite fields in place
     * (`short_message` becomes a Buffer, `data_coding`/`esm_class` may change). */
    toBuffer(): Buffer;

    /** 16384 by default; longer PDUs make the session emit 'error'. */
    static maxLength: number;
    static fromBuffer(buffer: Buffer): PDU | false;
    static commandLength(stream: NodeJS.ReadableStream): number | false;
    static fromStream(stream: NodeJS.ReadableStream, commandLength: number): PDU | false;
  }

  export interface PDU extends PduFields<ShortMessageInput | DecodedShortMessage> {
    /** TLVs the library does not know are kept as raw values under their numeric tag. */
    readonly [unknownTlvTag: number]: Buffer | undefined;
  }

  // ---------------------------------------------------------------------------
  // Session

  export type ResponseCallback = (pdu: PDU) => void;
  export type SendCallback = (pdu: PDU) => void;

  /**
   * A generated command method (`session.submit_sm(...)`, `session.deliver_sm_resp(...)`).
   * Builds a PDU and calls `send`. Returns false (and never calls back) when the
   * socket is not writable.
   */
  export interface CommandShortcut {
    (options: PduOptions, responseCallback?: ResponseCallback, sendCallback?: SendCallback): boolean;
    (responseCallback?: ResponseCallback, sendCallback?: SendCallback): boolean;
  }

  export type SessionCommands = { [C in CommandName]: CommandShortcut };

  export type CommandEventMap = { [C in CommandName]: [pdu: PDU] };

  export interface SessionEventMap extends CommandEventMap {
    /** Client sessions only: the TCP connection is up (not bound yet). */
    connect: [];
    /** Client sessions over TLS ('ssmpp://' or `tls: true`). */
    secureConnect: [];
    /** The socket closed (no arguments: use 'error' to learn why). */
    close: [];
    /** Socket errors, and PDU parse errors (after which the session stops reading). */
    error: [error: Error];
    /** Every PDU received, before the per-command event. */
    pdu: [pdu: PDU];
    /** A PDU was written to the socket. */
    send: [pdu: PDU];
    /** A PDU with a command id the library does not know. */
    unknown: [pdu: PDU];
  }

  export interface ConnectOptions extends Partial<net.TcpNetConnectOpts>, Partial<tls.ConnectionOptions> {
    /** 'smpp://host:port' or 'ssmpp://host:port' (TLS). Only host, port and protocol
     * are used: credentials in the URL are ignored (bind yourself). Do not end the URL
     * with '/': the parsed path makes net.connect dial a Unix socket named '/'. */
    url?: string;
    host?: string;
    /** Default 2775, or 3550 with TLS. */
    port?: number;
    tls?: boolean;
    /** Send enquire_link every N ms from 'connect' (bound or not, responses not
     * checked). Stops when the socket errors or closes. */
    auto_enquire_link_period?: number;
  }

  export class Session extends EventEmitter<SessionEventMap> {
    /** Not meant to be called directly: use `connect()`; servers pass `{ socket }`. */
    constructor(options: ConnectOptions & { socket?: net.Socket });
    options: ConnectOptions & { socket?: net.Socket };
    socket: net.Socket;
    /** Last sequence number used (wraps at 0x7FFFFFFF). */
    sequence: number;
    paused: boolean;
    /** Server-side sessions: the server that accepted them. */
    server?: Server | SecureServer;

    /**
     * Sends a PDU. For a request, assigns `sequence_number` (when 0) and registers
     * `responseCallback` for the matching `*_resp` or `generic_nack` (no timeout; it
     * is never called if the session closes first). For a response, a lone second
     * argument is the send callback. Returns false, without calling back, if the
     * socket is not writable. Throws synchronously if the PDU cannot be encoded.
     */
    send(pdu: PDU, responseCallback?: ResponseCallback, sendCallback?: SendCallback): boolean;
    /** Reconnects the same socket with the original options (client sessions). */
    connect(): void;
    /** Stops emitting received PDUs until `resume()`. */
    pause(): void;
    resume(): void;
    /** `socket.end()`; the callback runs on 'close'. No unbind is sent. */
    close(callback?: () => void): void;
    /** `socket.destroy()`; the callback runs on 'close'. */
    destroy(callback?: () => void): void;
  }

  export interface Session extends SessionCommands {}

  // ---------------------------------------------------------------------------
  // Server

  export type SessionListener = (session: Session) => void;

  /**
   * A net.Server that wraps each accepted socket in a Session and emits 'session'.
   * Nothing is answered for you (not even enquire_link) and no 'error' listener is
   * put on the sessions: add one, or a socket error kills the process.
   * `listen()` with no port (or only a callback) listens on 2775 (3550 for TLS).
   */
  export class Server extends net.Server {
    constructor(options?: net.ServerOpts, listener?: SessionListener);
    /** Open sessions (removed on socket close). */
    sessions: Session[];
    on(event: 'session', listener: SessionListener): this;
    on(event: 'close' | 'listening', listener: () => void): this;
    on(event: 'connection', listener: (socket: net.Socket) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    // The base class's catch-all, kept so the other net.Server events still type-check.
    on(event: string, listener: (...args: any[]) => void): this;
    once(event: 'session', listener: SessionListener): this;
    once(event: 'close' | 'listening', listener: () => void): this;
    once(event: 'connection', listener: (socket: net.Socket) => void): this;
    once(event: 'error', listener: (error: Error) => void): this;
    once(event: string, listener: (...args: any[]) => void): this;
  }

  export class SecureServer extends tls.Server {
    constructor(options: SecureServerOptions, listener?: SessionListener);
    sessions: Session[];
    on(event: 'session', listener: SessionListener): this;
    on(event: 'close' | 'listening', listener: () => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
    once(event: 'session', listener: SessionListener): this;
    once(event: 'close' | 'listening', listener: () => void): this;
    once(event: 'error', listener: (error: Error) => void): this;
    once(event: string, listener: (...args: any[]) => void): this;
  }

  export type SecureServerOptions = tls.TlsOptions & Required<Pick<tls.TlsOptions, 'key' | 'cert'>>;

  // ---------------------------------------------------------------------------
  // Functions

  /**
   * Opens a client session. Forms: `connect('smpp://host:port')`,
   * `connect({ url, auto_enquire_link_period })`, `connect({ host, port, tls })`,
   * `connect(host, port)`. The listener is added to 'connect' ('secureConnect' with
   * TLS). Connection failures surface as 'error' then 'close' on the session.
   */
  export function connect(url: string, listener?: () => void): Session;
  export function connect(options: ConnectOptions, listener?: () => void): Session;
  export function connect(listener?: () => void): Session;
  /** The listener of this form would be the 4th argument (a library quirk): none here. */
  export function connect(host: string, port: number): Session;
  export const createSession: typeof connect;

  export function createServer(listener?: SessionListener): Server;
  export function createServer(options: SecureServerOptions, listener?: SessionListener): SecureServer;
  export function createServer(options: net.ServerOpts, listener?: SessionListener): Server;

  export interface FieldType {
    read(buffer: Buffer, offset: number, length?: number): unknown;
    write(value: unknown, buffer: Buffer, offset: number): void;
    size(value: unknown): number;
    default: unknown;
  }

  export interface FieldFilter {
    encode(this: PDU, value: unknown): unknown;
    decode(this: PDU, value: unknown, skipUdh?: unknown): unknown;
  }

  export interface ParamDefinition {
    type: FieldType;
    default?: unknown;
    filter?: FieldFilter;
  }

  export interface CommandDefinition {
    id: number;
    command?: string;
    params?: Record<string, ParamDefinition>;
    tlvMap?: Record<string, string>;
  }

  export interface TlvDefinition {
    id: number;
    tag?: string;
    type: FieldType;
    multiple?: boolean;
    filter?: FieldFilter;
  }

  /** Registers a vendor command; adds a shortcut method to Session.prototype. */
  export function addCommand(command: string, options: CommandDefinition): void;
  /** Registers a vendor TLV. */
  export function addTLV(tag: string, options: TlvDefinition): void;

  // ---------------------------------------------------------------------------
  // Constants (default export only, see the top of this file)

  export interface ErrorCodes {
    readonly ESME_ROK: 0x0000;
    readonly ESME_RINVMSGLEN: 0x0001;
    readonly ESME_RINVCMDLEN: 0x0002;
    readonly ESME_RINVCMDID: 0x0003;
    readonly ESME_RINVBNDSTS: 0x0004;
    readonly ESME_RALYBND: 0x0005;
    readonly ESME_RINVPRTFLG: 0x0006;
    readonly ESME_RINVREGDLVFLG: 0x0007;
    readonly ESME_RSYSERR: 0x0008;
    readonly ESME_RINVSRCADR: 0x000a;
    readonly ESME_RINVDSTADR: 0x000b;
    readonly ESME_RINVMSGID: 0x000c;
    readonly ESME_RBINDFAIL: 0x000d;
    readonly ESME_RINVPASWD: 0x000e;
    readonly ESME_RINVSYSID: 0x000f;
    readonly ESME_RCANCELFAIL: 0x0011;
    readonly ESME_RREPLACEFAIL: 0x0013;
    readonly ESME_RMSGQFUL: 0x0014;
    readonly ESME_RINVSERTYP: 0x0015;
    readonly ESME_RINVNUMDESTS: 0x0033;
    readonly ESME_RINVDLNAME: 0x0034;
    readonly ESME_RINVDESTFLAG: 0x0040;
    readonly ESME_RINVSUBREP: 0x0042;
    readonly ESME_RINVESMCLASS: 0x0043;
    readonly ESME_RCNTSUBDL: 0x0044;
    readonly ESME_RSUBMITFAIL: 0x0045;
    readonly ESME_RINVSRCTON: 0x0048;
    readonly ESME_RINVSRCNPI: 0x0049;
    readonly ESME_RINVDSTTON: 0x0050;
    readonly ESME_RINVDSTNPI: 0x0051;
    readonly ESME_RINVSYSTYP: 0x0053;
    readonly ESME_RINVREPFLAG: 0x0054;
    readonly ESME_RINVNUMMSGS: 0x0055;
    readonly ESME_RTHROTTLED: 0x0058;
    readonly ESME_RINVSCHED: 0x0061;
    readonly ESME_RINVEXPIRY: 0x0062;
    readonly ESME_RINVDFTMSGID: 0x0063;
    readonly ESME_RX_T_APPN: 0x0064;
    readonly ESME_RX_P_APPN: 0x0065;
    readonly ESME_RX_R_APPN: 0x0066;
    readonly ESME_RQUERYFAIL: 0x0067;
    readonly ESME_RINVTLVSTREAM: 0x00c0;
    readonly ESME_RTLVNOTALLWD: 0x00c1;
    readonly ESME_RINVTLVLEN: 0x00c2;
    readonly ESME_RMISSINGTLV: 0x00c3;
    readonly ESME_RINVTLVVAL: 0x00c4;
    readonly ESME_RDELIVERYFAILURE: 0x00fe;
    readonly ESME_RUNKNOWNERR: 0x00ff;
    readonly ESME_RSERTYPUNAUTH: 0x0100;
    readonly ESME_RPROHIBITED: 0x0101;
    readonly ESME_RSERTYPUNAVAIL: 0x0102;
    readonly ESME_RSERTYPDENIED: 0x0103;
    readonly ESME_RINVDCS: 0x0104;
    readonly ESME_RINVSRCADDRSUBUNIT: 0x0105;
    readonly ESME_RINVDSTADDRSUBUNIT: 0x0106;
    readonly ESME_RINVBCASTFREQINT: 0x0107;
    readonly ESME_RINVBCASTALIAS_NAME: 0x0108;
    readonly ESME_RINVBCASTAREAFMT: 0x0109;
    readonly ESME_RINVNUMBCAST_AREAS: 0x010a;
    readonly ESME_RINVBCASTCNTTYPE: 0x010b;
    readonly ESME_RINVBCASTMSGCLASS: 0x010c;
    readonly ESME_RBCASTFAIL: 0x010d;
    readonly ESME_RBCASTQUERYFAIL: 0x010e;
    readonly ESME_RBCASTCANCELFAIL: 0x010f;
    readonly ESME_RINVBCAST_REP: 0x0110;
    readonly ESME_RINVBCASTSRVGRP: 0x0111;
    readonly ESME_RINVBCASTCHANIND: 0x0112;
  }

  export type ErrorName = keyof ErrorCodes;
  /** A command_status value the library names. */
  export type KnownCommandStatus = ErrorCodes[ErrorName];

  export interface ConstantGroups {
    readonly REGISTERED_DELIVERY: {
      readonly FINAL: 0x01;
      readonly FAILURE: 0x02;
      readonly SUCCESS: 0x03;
      readonly DELIVERY_ACKNOWLEDGEMENT: 0x04;
      readonly USER_ACKNOWLEDGEMENT: 0x08;
      readonly INTERMEDIATE: 0x10;
    };
    readonly ESM_CLASS: {
      readonly DATAGRAM: 0x01;
      readonly FORWARD: 0x02;
      readonly STORE_FORWARD: 0x03;
      readonly MC_DELIVERY_RECEIPT: 0x04;
      readonly DELIVERY_ACKNOWLEDGEMENT: 0x08;
      readonly USER_ACKNOWLEDGEMENT: 0x10;
      readonly CONVERSATION_ABORT: 0x18;
      readonly INTERMEDIATE_DELIVERY: 0x20;
      readonly UDH_INDICATOR: 0x40;
      readonly KANNEL_UDH_INDICATOR: 0x43;
      readonly SET_REPLY_PATH: 0x80;
    };
    readonly MESSAGE_STATE: {
      readonly SCHEDULED: 0;
      readonly ENROUTE: 1;
      readonly DELIVERED: 2;
      readonly EXPIRED: 3;
      readonly DELETED: 4;
      readonly UNDELIVERABLE: 5;
      readonly ACCEPTED: 6;
      readonly UNKNOWN: 7;
      readonly REJECTED: 8;
      readonly SKIPPED: 9;
    };
    readonly TON: {
      readonly UNKNOWN: 0x00;
      readonly INTERNATIONAL: 0x01;
      readonly NATIONAL: 0x02;
      readonly NETWORK_SPECIFIC: 0x03;
      readonly SUBSCRIBER_NUMBER: 0x04;
      readonly ALPHANUMERIC: 0x05;
      readonly ABBREVIATED: 0x06;
    };
    readonly NPI: {
      readonly UNKNOWN: 0x00;
      readonly ISDN: 0x01;
      readonly DATA: 0x03;
      readonly TELEX: 0x04;
      readonly LAND_MOBILE: 0x06;
      readonly NATIONAL: 0x08;
      readonly PRIVATE: 0x09;
      readonly ERMES: 0x0a;
      readonly INTERNET: 0x0e;
      readonly IP: 0x0e;
      readonly WAP: 0x12;
    };
    /** data_coding values. ASCII/IA5 = 0x01 (the library writes GSM 03.38 bytes for it). */
    readonly ENCODING: {
      readonly SMSC_DEFAULT: 0x00;
      readonly ASCII: 0x01;
      readonly GSM_TR: 0x01;
      readonly GSM_ES: 0x01;
      readonly GSM_PT: 0x01;
      readonly IA5: 0x01;
      readonly LATIN1: 0x03;
      readonly ISO_8859_1: 0x03;
      readonly BINARY: 0x04;
      readonly JIS: 0x05;
      readonly X_0208_1990: 0x05;
      readonly CYRILLIC: 0x06;
      readonly ISO_8859_5: 0x06;
      readonly HEBREW: 0x07;
      readonly ISO_8859_8: 0x07;
      readonly UCS2: 0x08;
      readonly PICTOGRAM: 0x09;
      readonly ISO_2022_JP: 0x0a;
      readonly EXTENDED_KANJI_JIS: 0x0d;
      readonly X_0212_1990: 0x0d;
      readonly KS_C_5601: 0x0e;
    };
    readonly NETWORK: {
      readonly GENERIC: 0x00;
      readonly GSM: 0x01;
      readonly TDMA: 0x02;
      readonly CDMA: 0x03;
    };
    readonly BROADCAST_AREA_FORMAT: {
      readonly NAME: 0x00;
      readonly ALIAS: 0x00;
      readonly ELLIPSOID_ARC: 0x01;
      readonly POLYGON: 0x02;
    };
    readonly BROADCAST_FREQUENCY_INTERVAL: {
      readonly MAX_POSSIBLE: 0x00;
      readonly SECONDS: 0x08;
      readonly MINUTES: 0x09;
      readonly HOURS: 0x0a;
      readonly DAYS: 0x0b;
      readonly WEEKS: 0x0c;
      readonly MONTHS: 0x0d;
      readonly YEARS: 0x0e;
    };
  }

  export type EncodingName = 'ASCII' | 'LATIN1' | 'UCS2';

  export interface TextEncoding {
    match(value: string): boolean;
    encode(value: string): Buffer;
    decode(value: Buffer): string;
  }

  export interface Encodings {
    /** GSM 03.38, one septet per octet (not packed). */
    ASCII: TextEncoding;
    LATIN1: TextEncoding;
    /** UTF-16BE through iconv-lite. */
    UCS2: TextEncoding;
    /** First encoding whose `match` accepts the text (non-enumerable). */
    detect(value: string): EncodingName | false;
    /** Used for data_coding 0 (non-enumerable, writable, global to the process). */
    default: EncodingName;
  }

  export interface GsmCoder {
    /** `shift`: national language table, 0 default, 1 Turkish, 2 Spanish, 3 Portuguese.
     * Characters outside the table become ' '. */
    encode(text: string, shift?: number): Buffer;
    /** Octets outside the table become ' '. */
    decode(octets: Buffer, shift?: number): string;
    /** The national table the text fits, or undefined. */
    detect(text: string): 0 | 1 | 2 | 3 | undefined;
  }

  export interface SmppModule extends ErrorCodes, ConstantGroups {
    connect: typeof connect;
    createSession: typeof connect;
    createServer: typeof createServer;
    addCommand: typeof addCommand;
    addTLV: typeof addTLV;
    Session: typeof Session;
    Server: typeof Server;
    SecureServer: typeof SecureServer;
    PDU: typeof PDU;
    errors: ErrorCodes;
    consts: ConstantGroups;
    encodings: Encodings;
    gsmCoder: GsmCoder;
    filters: Record<string, FieldFilter>;
    commands: Record<string, CommandDefinition>;
    commandsById: Record<number, CommandDefinition>;
    types: Record<string, FieldType> & { tlv: Record<string, FieldType> };
    tlvs: Record<string, TlvDefinition>;
    tlvsById: Record<number, TlvDefinition>;
  }

  const smpp: SmppModule;
  export default smpp;
}
