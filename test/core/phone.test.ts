import { describe, expect, it } from 'vitest';
import { readCallerNumber, sanitizeText } from '../../core/phone.js';

describe('caller numbers', () => {
  it('when a US number comes in national form, then it is read as E.164', () => {
    expect(readCallerNumber('(415) 555-2671', 'US')).toEqual({ kind: 'valid', e164: '+14155552671', raw: '(415) 555-2671' });
    expect(readCallerNumber('+442079460958', 'US')).toMatchObject({ kind: 'valid', e164: '+442079460958' });
  });
  it('when the number is hidden, then it is withheld', () => {
    for (const raw of ['', 'anonymous', 'Restricted', '  ', null, undefined]) {
      expect(readCallerNumber(raw, 'US').kind).toBe('withheld');
    }
  });
  it('when the caller id is hostile or impossible, then it is invalid and bounded', () => {
    const hostile = [
      "1'; drop table lead;--",
      '<script>alert(1)</script>',
      '9'.repeat(200),
      '555',
      '+1 000 000 0000',
      'ünïcødé',
      '\u0000123',
    ];
    for (const raw of hostile) {
      const read = readCallerNumber(raw, 'US');
      expect(read.kind).toBe('invalid');
      expect(read.raw.length).toBeLessThanOrEqual(64);
      expect(read.raw).not.toContain('\u0000');
    }
  });
  it('when text carries control characters or lone surrogates, then they are removed', () => {
    expect(sanitizeText('a\u0000b\u0007c\nd', 10)).toBe('abc\nd');
    expect(sanitizeText('x\uD800y', 10)).toBe('x\uFFFDy');
  });
});
