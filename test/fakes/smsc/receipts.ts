import smpp from 'smpp';
import type { ReceiptStat, SubmittedMessage } from './types.js';

/** message_state TLV value for each receipt stat. */
export const MESSAGE_STATE_OF: Readonly<Record<ReceiptStat, number>> = {
  DELIVRD: smpp.MESSAGE_STATE.DELIVERED,
  EXPIRED: smpp.MESSAGE_STATE.EXPIRED,
  DELETED: smpp.MESSAGE_STATE.DELETED,
  UNDELIV: smpp.MESSAGE_STATE.UNDELIVERABLE,
  ACCEPTD: smpp.MESSAGE_STATE.ACCEPTED,
  UNKNOWN: smpp.MESSAGE_STATE.UNKNOWN,
  REJECTD: smpp.MESSAGE_STATE.REJECTED,
};

/** registered_delivery asks for a receipt on success: bits 0-1 = 01 (any final) or 11 (success, SMPP 5.0). */
export function wantsSuccessReceipt(registeredDelivery: number): boolean {
  const bits = registeredDelivery & 0x03;
  return bits === 0x01 || bits === 0x03;
}

/** YYMMDDhhmm in UTC. */
export function receiptDate(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    two(date.getUTCFullYear() % 100) +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes())
  );
}

/**
 * The first 20 characters of the original text, keeping only characters that are
 * the same octet in ASCII and in GSM 03.38 (so any decoder reads them alike).
 */
function receiptExcerpt(text: string): string {
  return Array.from(text)
    .slice(0, 20)
    .map((c) => (/^[A-Za-z0-9 !"#%&'()*+,\-./:;<=>?]$/.test(c) ? c : '?'))
    .join('');
}

export interface ReceiptContent {
  text: string;
  messageState: number;
}

/** The conventional receipt text (SMPP 3.4 appendix B) and the message_state TLV value. */
export function buildReceipt(
  message: SubmittedMessage,
  stat: ReceiptStat,
  err: string,
  doneAt: Date = new Date(),
): ReceiptContent {
  const delivered = stat === 'DELIVRD' ? '001' : '000';
  const text =
    `id:${message.messageId} sub:001 dlvrd:${delivered}` +
    ` submit date:${receiptDate(message.receivedAt)} done date:${receiptDate(doneAt)}` +
    ` stat:${stat} err:${err.padStart(3, '0').slice(-3)} text:${receiptExcerpt(message.text)}`;
  return { text, messageState: MESSAGE_STATE_OF[stat] };
}
