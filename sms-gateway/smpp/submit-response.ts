import smpp, { type PDU } from 'smpp';

/** What one submit_sm came to. */
export type PduOutcome =
  | { status: 'accepted'; messageId: string }
  | { status: 'rejected'; permanent: boolean; code: number; error: string }
  | { status: 'throttled'; code: number }
  | { status: 'not_sent'; error: string }
  | { status: 'unknown'; error: string };

/** Permanent errors for the destination: retrying cannot help, the lead needs a phone call. */
const PERMANENT_DESTINATION_ERRORS = new Set<number>([smpp.ESME_RINVDSTADR, smpp.ESME_RINVDSTTON, smpp.ESME_RINVDSTNPI]);
/** "Slow down": the SMSC did not take the PDU, so sending it again later cannot double it. */
const RETRY_LATER = new Set<number>([smpp.ESME_RTHROTTLED, smpp.ESME_RMSGQFUL]);

export function readSubmitResponse(response: PDU): PduOutcome {
  const code = response.command_status;
  if (response.command === 'generic_nack') return { status: 'rejected', permanent: false, code, error: 'generic_nack' };
  if (code === smpp.ESME_ROK && response.message_id) return { status: 'accepted', messageId: String(response.message_id) };
  if (RETRY_LATER.has(code)) return { status: 'throttled', code };
  return {
    status: 'rejected',
    permanent: PERMANENT_DESTINATION_ERRORS.has(code),
    code,
    error: `submit_sm refused with status 0x${code.toString(16)}`,
  };
}
