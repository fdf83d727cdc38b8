// Recordings the fake "stores": real WAV files (PCM 16-bit, mono, 8000 Hz) whose
// length matches the recorded time, a tone plus random noise so that no two
// recordings have the same bytes (tests compare SHA-256 of the exact download).
import { randomBytes } from 'node:crypto';

export const SAMPLE_RATE = 8000;
const HEADER_BYTES = 44;
const BYTES_PER_SAMPLE = 2;

export function pcmForDuration(durationMs: number): Buffer {
  const samples = Math.max(0, Math.round((durationMs * SAMPLE_RATE) / 1000));
  const pcm = Buffer.alloc(samples * BYTES_PER_SAMPLE);
  const noise = randomBytes(samples);
  const toneHz = 400 + (noise[0] ?? 0); // per-recording pitch, 400..655 Hz
  for (let i = 0; i < samples; i++) {
    const tone = Math.sin((2 * Math.PI * toneHz * i) / SAMPLE_RATE) * 6000;
    const hiss = ((noise[i] ?? 0) - 128) * 8;
    pcm.writeInt16LE(Math.round(tone + hiss), i * BYTES_PER_SAMPLE);
  }
  return pcm;
}

export function wavFromPcm(pcm: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * BYTES_PER_SAMPLE, 28); // byte rate
  header.writeUInt16LE(BYTES_PER_SAMPLE, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/** The PCM payload of a WAV this module wrote (used for ifExists=append). */
export function pcmOfWav(wav: Buffer): Buffer {
  return wav.subarray(HEADER_BYTES);
}

export function wavDurationMs(wav: Buffer): number {
  return (pcmOfWav(wav).length / BYTES_PER_SAMPLE / SAMPLE_RATE) * 1000;
}
