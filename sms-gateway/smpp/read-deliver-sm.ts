import type { PDU } from 'smpp';
import type { ReceivedDeliverSm } from '../inbound/inbound-journal.js';
import { isDeliveryReceipt, readDeliveryReceipt } from './delivery-receipt.js';
import { decodeShortMessage } from './sms-encoding.js';

type Part = NonNullable<ReceivedDeliverSm['part']>;

/**
 * A deliver_sm as the rest of the gateway wants it: the text without its user
 * data header, which part of a long text it is (UDH or sar_* TLVs), and the
 * receipt it carries, if it is one.
 */
export function readDeliverSm(pdu: PDU): ReceivedDeliverSm {
  const body = messageField(pdu);
  const text = decodeShortMessage(body, pdu.data_coding ?? 0);
  const receipt = isDeliveryReceipt(pdu.esm_class) ? readDeliveryReceipt(pdu, text) : null;
  const part = receipt ? undefined : (partFromUdh(udhOf(body)) ?? partFromSar(pdu));
  return {
    sourceAddr: normaliseAddress(pdu.source_addr ?? '', pdu.source_addr_ton),
    destinationAddr: pdu.destination_addr ?? '',
    text,
    ...(receipt ? { receipt } : {}),
    ...(part ? { part } : {}),
  };
}

/**
 * short_message, or message_payload when short_message is empty: the library
 * decodes an empty short_message to `{ message: '' }`, so `??` alone would
 * lose a long text sent in message_payload.
 */
function messageField(pdu: PDU): unknown {
  const payload = pdu.message_payload;
  if (payload !== undefined && isEmpty(pdu.short_message)) return payload;
  return pdu.short_message ?? payload;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value.length === 0;
  if (typeof value === 'object' && 'message' in value) {
    const message = (value as { message: unknown }).message;
    return (typeof message === 'string' || Buffer.isBuffer(message)) && message.length === 0;
  }
  return false;
}

/** The library splits the UDH (when esm_class has 0x40) into information elements `[IEI, length, ...data]`. */
function udhOf(body: unknown): Buffer[] {
  if (body && typeof body === 'object' && 'udh' in body) {
    const udh = (body as { udh?: unknown }).udh;
    if (Array.isArray(udh)) return udh.filter((ie): ie is Buffer => Buffer.isBuffer(ie));
  }
  return [];
}

/** IEI 0x00: 8-bit reference; IEI 0x08: 16-bit reference (3GPP TS 23.040 9.2.3.24.1 and .8). */
function partFromUdh(elements: Buffer[]): Part | undefined {
  for (const ie of elements) {
    if (ie[0] === 0x00 && ie[1] === 3 && ie.length >= 5) return checked(ie[2]!, ie[3]!, ie[4]!);
    if (ie[0] === 0x08 && ie[1] === 4 && ie.length >= 6) return checked(ie.readUInt16BE(2), ie[4]!, ie[5]!);
  }
  return undefined;
}

function partFromSar(pdu: PDU): Part | undefined {
  const { sar_msg_ref_num: reference, sar_total_segments: total, sar_segment_seqnum: seq } = pdu;
  if (typeof reference !== 'number' || typeof total !== 'number' || typeof seq !== 'number') return undefined;
  return checked(reference, total, seq);
}

/** A "1 of 1" or an impossible part number is a whole text: nothing to reassemble. */
function checked(reference: number, total: number, seq: number): Part | undefined {
  if (total < 2 || seq < 1 || seq > total) return undefined;
  return { reference, total, seq };
}

/** International numbers arrive without their '+'; put it back so they match E.164. */
function normaliseAddress(address: string, ton: number | undefined): string {
  return ton === 1 && /^\d+$/.test(address) ? `+${address}` : address;
}
