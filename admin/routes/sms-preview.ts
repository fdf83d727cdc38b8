import { countSegments, encodeSms, fitsGsm7 } from '../../sms-gateway/smpp/sms-encoding.js';

export interface SmsDescription {
  text: string;
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7; extension-table characters such as '€' take two) or UTF-16 code units (UCS-2). */
  length: number;
  length_unit: 'septets' | 'ucs2_units';
  segments: number;
}

/** How a text travels: the same encoder the SMPP side sends with, so the count is what the carrier bills. */
export function describeSms(text: string): SmsDescription {
  const gsm = fitsGsm7(text);
  const bytes = encodeSms(text, 0).segments.reduce((total, segment) => total + segment.message.length, 0);
  return {
    text,
    encoding: gsm ? 'GSM-7' : 'UCS-2',
    // GSM-7 is encoded one septet a byte (unpacked); UCS-2 two bytes a unit.
    length: gsm ? bytes : bytes / 2,
    length_unit: gsm ? 'septets' : 'ucs2_units',
    segments: countSegments(text),
  };
}

export const smsPreviewSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    source: { type: 'string', enum: ['draft', 'stored'], description: '`draft`: the body sent; `stored`: the wording in use.' },
    text: { type: 'string', description: 'The rendered text with this business filled in.' },
    encoding: { type: 'string', enum: ['GSM-7', 'UCS-2'] },
    length: { type: 'integer' },
    length_unit: { type: 'string', enum: ['septets', 'ucs2_units'] },
    segments: { type: 'integer', description: 'SMS it costs (one up to 160 septets / 70 UCS-2 units, then 153 / 67 a part).' },
  },
  required: ['kind', 'source', 'text', 'encoding', 'length', 'length_unit', 'segments'],
} as const;
