import type { Socket } from 'node:net';

/**
 * The `smpp` library decodes short_message before we see it (GSM table for
 * data_coding 0, lossy). To check what really went over the wire, the fake keeps
 * the bytes the session reads: the library reads each PDU with exactly two
 * `socket.read()` calls (length, then the rest) and emits 'pdu' straight after.
 */
export interface WireTap {
  /** The raw bytes of the PDU just emitted (header included). */
  take(commandLength: number): Buffer | undefined;
}

export function tapSocket(socket: Socket): WireTap {
  const chunks: Buffer[] = [];
  const read = socket.read.bind(socket);
  socket.read = (size?: number): unknown => {
    const chunk: unknown = read(size);
    if (Buffer.isBuffer(chunk)) chunks.push(chunk);
    return chunk;
  };
  return {
    take(commandLength) {
      const all = Buffer.concat(chunks);
      chunks.length = 0;
      if (all.length < commandLength) return undefined;
      return all.subarray(all.length - commandLength);
    },
  };
}

export interface RawSubmitSm {
  sequenceNumber: number;
  serviceType: string;
  sourceTon: number;
  sourceNpi: number;
  sourceAddr: string;
  destTon: number;
  destNpi: number;
  destAddr: string;
  esmClass: number;
  protocolId: number;
  priorityFlag: number;
  scheduleDeliveryTime: string;
  validityPeriod: string;
  registeredDelivery: number;
  replaceIfPresent: number;
  dataCoding: number;
  smDefaultMsgId: number;
  shortMessage: Buffer;
  tlvs: Map<number, Buffer>;
}

/** Reads a submit_sm (SMPP 3.4 section 4.4.1) from its raw bytes. Throws if truncated. */
export function parseSubmitSm(raw: Buffer): RawSubmitSm {
  const end = raw.readUInt32BE(0);
  let offset = 16;
  const need = (n: number): void => {
    if (offset + n > end) throw new Error('submit_sm truncated');
  };
  const u8 = (): number => {
    need(1);
    return raw.readUInt8(offset++);
  };
  const cstring = (): string => {
    const zero = raw.indexOf(0, offset);
    if (zero < 0 || zero >= end) throw new Error('submit_sm: unterminated C-string');
    const value = raw.toString('latin1', offset, zero);
    offset = zero + 1;
    return value;
  };
  const serviceType = cstring();
  const sourceTon = u8();
  const sourceNpi = u8();
  const sourceAddr = cstring();
  const destTon = u8();
  const destNpi = u8();
  const destAddr = cstring();
  const esmClass = u8();
  const protocolId = u8();
  const priorityFlag = u8();
  const scheduleDeliveryTime = cstring();
  const validityPeriod = cstring();
  const registeredDelivery = u8();
  const replaceIfPresent = u8();
  const dataCoding = u8();
  const smDefaultMsgId = u8();
  const smLength = u8();
  need(smLength);
  const shortMessage = Buffer.from(raw.subarray(offset, offset + smLength));
  offset += smLength;
  const tlvs = new Map<number, Buffer>();
  while (offset + 4 <= end) {
    const tag = raw.readUInt16BE(offset);
    const length = raw.readUInt16BE(offset + 2);
    offset += 4;
    need(length);
    tlvs.set(tag, Buffer.from(raw.subarray(offset, offset + length)));
    offset += length;
  }
  return {
    sequenceNumber: raw.readUInt32BE(12),
    serviceType,
    sourceTon,
    sourceNpi,
    sourceAddr,
    destTon,
    destNpi,
    destAddr,
    esmClass,
    protocolId,
    priorityFlag,
    scheduleDeliveryTime,
    validityPeriod,
    registeredDelivery,
    replaceIfPresent,
    dataCoding,
    smDefaultMsgId,
    shortMessage,
    tlvs,
  };
}
