import type { PduOptions } from 'smpp';
import type { SmppConcatenation } from '../../core/config/smpp-settings.js';
import type { OutboundSms } from '../sms-transport.js';
import { encodeSms } from './sms-encoding.js';

/**
 * The submit_sm fields for each part of a text, in order. Long texts are tied
 * together by a concatenation UDH (8-bit reference) or by sar_* TLVs (16-bit
 * reference), as the connection is configured. Parts are cut at the UDH sizes
 * (153 GSM characters / 67 UCS-2) either way, so a SMSC that turns SAR into a
 * UDH on the air still fits them, and the count is the one countSegments gives.
 */
export function submitFields(sms: OutboundSms, concatenation: SmppConcatenation, reference: number): PduOptions[] {
  const encoded = encodeSms(sms.text, reference & 0xff);
  const numericSender = /^\+?\d+$/.test(sms.from);
  const total = encoded.segments.length;
  return encoded.segments.map((segment, index): PduOptions => {
    const common: PduOptions = {
      source_addr: sms.from,
      source_addr_ton: numericSender ? 1 : 5,
      source_addr_npi: numericSender ? 1 : 0,
      destination_addr: sms.to.replace(/^\+/, ''),
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      // A receipt for every part: the text counts as delivered only when all of them are.
      registered_delivery: 1,
      data_coding: encoded.dataCoding,
    };
    if (total === 1) return { ...common, short_message: segment.message };
    if (concatenation === 'sar') {
      return {
        ...common,
        short_message: segment.message,
        sar_msg_ref_num: reference & 0xffff,
        sar_total_segments: total,
        sar_segment_seqnum: index + 1,
      };
    }
    return { ...common, short_message: { udh: segment.udh, message: segment.message } };
  });
}
