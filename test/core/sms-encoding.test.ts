import { describe, expect, it } from 'vitest';
import { countSegments, encodeSms, fitsGsm7 } from '../../sms-gateway/smpp/sms-encoding.js';

describe('SMS encoding', () => {
  it('when a text fits GSM 03.38, then it goes as data_coding 0, extension characters as escapes', () => {
    expect(fitsGsm7('Hello & welcome @ $5 _x_ €[]{}')).toBe(true);
    const encoded = encodeSms('€', 1);
    expect(encoded.dataCoding).toBe(0);
    expect([...encoded.segments[0]!.message]).toEqual([0x1b, 0x65]);
  });
  it('when a text has characters outside GSM, then it goes as UCS-2', () => {
    expect(fitsGsm7('Hi 👋')).toBe(false);
    const encoded = encodeSms('Hi 👋', 1);
    expect(encoded.dataCoding).toBe(8);
    expect(encoded.segments[0]!.message.length).toBe(2 * 'Hi 👋'.length);
  });
  it('when at the 160/161 and 70/71 boundaries, then the segment count is right', () => {
    expect(countSegments('a'.repeat(160))).toBe(1);
    expect(countSegments('a'.repeat(161))).toBe(2);
    expect(countSegments('€'.repeat(80))).toBe(1);
    expect(countSegments('€'.repeat(81))).toBe(2);
    expect(countSegments('я'.repeat(70))).toBe(1);
    expect(countSegments('я'.repeat(71))).toBe(2);
  });
  it('when a long text is split, then parts carry a concatenation UDH and never split an escape or a surrogate pair', () => {
    const gsm = encodeSms(`${'a'.repeat(152)}€${'x'.repeat(10)}`, 7);
    expect(gsm.segments).toHaveLength(2);
    expect([...gsm.segments[0]!.udh!]).toEqual([5, 0, 3, 7, 2, 1]);
    expect(gsm.segments[0]!.message.at(-1)).not.toBe(0x1b);
    const emoji = encodeSms('x' + '😀'.repeat(40), 9);
    for (const segment of emoji.segments) {
      const last = segment.message.readUInt16BE(segment.message.length - 2);
      expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
    }
  });
});
