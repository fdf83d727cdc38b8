/** What a delivery receipt says, read from its TLVs or from its `id:... stat:...` text (SMPP 3.4 appendix B). */
export interface DeliveryReceipt {
  messageId: string;
  state: string;
}

const MESSAGE_STATES: Record<number, string> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

/** esm_class bits 2-5 say what kind of deliver_sm this is; 0x04 is an SMSC delivery receipt. */
export function isDeliveryReceipt(esmClass: number | undefined): boolean {
  return ((esmClass ?? 0) & 0x3c) === 0x04;
}

export function readDeliveryReceipt(
  fields: { receipted_message_id?: string; message_state?: number },
  text: string,
): DeliveryReceipt | null {
  const idInText = /\bid:(\S+)/i.exec(text)?.[1];
  const statInText = /\bstat:(\S+)/i.exec(text)?.[1];
  const messageId = fields.receipted_message_id || idInText;
  const state = (fields.message_state !== undefined ? MESSAGE_STATES[fields.message_state] : undefined) ?? statInText?.toUpperCase();
  if (!messageId || !state) return null;
  return { messageId, state };
}
