import { describe, expect, it } from 'vitest';
import { readWav } from '../../core/speech/wav-format.js';
import { makeWav } from './wav-fixture.js';

describe('reading a WAV recording', () => {
  it('when Asterisk recorded 8 kHz 16-bit mono, then format and samples are read', () => {
    const data = Buffer.from([1, 2, 3, 4]);
    expect(readWav(makeWav({ data }))).toEqual({ audioFormat: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16, data });
  });
  it('when a LIST chunk (odd length) comes before the data, then it is skipped', () => {
    const data = Buffer.from([9, 9]);
    const wav = readWav(makeWav({ data, sampleRate: 16000, extraChunks: [{ id: 'LIST', body: Buffer.from('abc') }] }));
    expect(wav.sampleRate).toBe(16000);
    expect(wav.data).toEqual(data);
  });
  it('when the data size is still 0 or larger than the file, then the samples run to the end', () => {
    const data = Buffer.from([5, 6, 7, 8]);
    expect(readWav(makeWav({ data, dataSizeField: 0 })).data).toEqual(data);
    expect(readWav(makeWav({ data, dataSizeField: 1_000_000 })).data).toEqual(data);
  });
  it('when the bytes are not a WAV file, then it says so', () => {
    expect(() => readWav(Buffer.from('ID3 not a wav at all'))).toThrow(/not a WAV/);
    expect(() => readWav(Buffer.alloc(0))).toThrow(/not a WAV/);
  });
});
