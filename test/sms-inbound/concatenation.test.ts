import { describe, expect, it } from 'vitest';
import { parseUdh, readConcatenation } from '../../sms-gateway/inbound/concatenation.js';
import { joinParts } from '../../sms-gateway/inbound/join-parts.js';

const ie = (...bytes: number[]): Buffer => Buffer.from(bytes);

describe('reading which part a PDU is', () => {
  it('when the UDH has an 8-bit concatenation IE, then its reference, total and number are read', () => {
    expect(readConcatenation([ie(0x00, 3, 0xab, 3, 2)])).toEqual({ reference: 0xab, total: 3, seq: 2 });
  });
  it('when the UDH has a 16-bit concatenation IE, then the reference is 16 bits', () => {
    expect(readConcatenation([ie(0x08, 4, 0x12, 0x34, 5, 5)])).toEqual({ reference: 0x1234, total: 5, seq: 5 });
  });
  it('when other IEs come first (ports, national language), then the concatenation IE is still found', () => {
    expect(readConcatenation([ie(0x05, 4, 0x0b, 0x84, 0x23, 0xf0), ie(0x25, 1, 2), ie(0x00, 3, 1, 2, 1)])).toEqual({
      reference: 1,
      total: 2,
      seq: 1,
    });
  });
  it('when there is no UDH, then the sar_* TLVs are read', () => {
    expect(readConcatenation(undefined, { sar_msg_ref_num: 40000, sar_total_segments: 4, sar_segment_seqnum: 3 })).toEqual({
      reference: 40000,
      total: 4,
      seq: 3,
    });
  });
  it('when both are present, then the UDH wins', () => {
    expect(readConcatenation([ie(0x00, 3, 9, 2, 2)], { sar_msg_ref_num: 1, sar_total_segments: 3, sar_segment_seqnum: 1 })).toEqual({
      reference: 9,
      total: 2,
      seq: 2,
    });
  });
  it('when the numbers break the rules, then there is no part (the text is read as a whole)', () => {
    for (const bad of [
      ie(0x00, 3, 1, 0, 0),
      ie(0x00, 3, 1, 2, 0),
      ie(0x00, 3, 1, 2, 3),
      ie(0x00, 2, 1, 2),
      ie(0x08, 3, 0, 1, 2),
      ie(0x00, 3, 1),
    ]) {
      expect(readConcatenation([bad]), bad.toString('hex')).toBeNull();
    }
    expect(readConcatenation(undefined, { sar_msg_ref_num: 1, sar_total_segments: 2, sar_segment_seqnum: 3 })).toBeNull();
    expect(readConcatenation(undefined, { sar_msg_ref_num: 1, sar_total_segments: 0, sar_segment_seqnum: 0 })).toBeNull();
    expect(readConcatenation(undefined, { sar_msg_ref_num: 1, sar_total_segments: 2 })).toBeNull();
    expect(readConcatenation(undefined, {})).toBeNull();
  });
  it('when a part is "1 of 1", then it is valid (total >= 1)', () => {
    expect(readConcatenation([ie(0x00, 3, 4, 1, 1)])).toEqual({ reference: 4, total: 1, seq: 1 });
  });
  it('when the concatenation IE is repeated, then the last valid one counts', () => {
    expect(readConcatenation([ie(0x00, 3, 1, 2, 1), ie(0x00, 3, 2, 3, 3), ie(0x00, 3, 9, 0, 0)])).toEqual({
      reference: 2,
      total: 3,
      seq: 3,
    });
  });
  it('when a raw header is parsed, then its IEs come out as the library shapes them, and a truncated one is dropped', () => {
    expect(parseUdh(Buffer.from([5, 0x00, 3, 7, 2, 1]))).toEqual([ie(0x00, 3, 7, 2, 1)]);
    expect(parseUdh(Buffer.from([6, 0x08, 4, 1, 2, 3, 1]))).toEqual([ie(0x08, 4, 1, 2, 3, 1)]);
    expect(parseUdh(Buffer.from([7, 0x00, 3, 7, 2, 1, 0x24, 5]))).toEqual([ie(0x00, 3, 7, 2, 1)]);
    expect(parseUdh(Buffer.from([40, 0x00, 3, 7]))).toEqual([]);
    expect(parseUdh(Buffer.alloc(0))).toEqual([]);
  });
});

describe('joining the texts of parts', () => {
  it('when every part is there, then they are joined in part order whatever the order given', () => {
    expect(
      joinParts(3, [
        { seq: 3, text: 'c' },
        { seq: 1, text: 'a' },
        { seq: 2, text: 'b' },
      ]),
    ).toEqual({ text: 'abc', missing: [] });
  });
  it('when parts are missing, then each run of them leaves one marker', () => {
    const joined = joinParts(6, [
      { seq: 1, text: 'a' },
      { seq: 5, text: 'e' },
    ]);
    expect(joined.text).toBe('a[parts 2-4 of 6 missing]e[part 6 of 6 missing]');
    expect(joined.missing).toEqual([2, 3, 4, 6]);
  });
  it('when a surrogate pair is split between parts, then it is one character again', () => {
    expect(
      joinParts(2, [
        { seq: 1, text: 'a\ud83d' },
        { seq: 2, text: '\ude00b' },
      ]).text,
    ).toBe('a😀b');
  });
  it('when a GSM escape ends a part, then the next part starts with the extension character', () => {
    expect(
      joinParts(2, [
        { seq: 1, text: 'x\u001b' },
        { seq: 2, text: '(y' },
      ]).text,
    ).toBe('x{y');
    expect(
      joinParts(2, [
        { seq: 1, text: 'x\u001b' },
        { seq: 2, text: 'Zy' },
      ]).text,
    ).toBe('x\u001bZy');
  });
});
