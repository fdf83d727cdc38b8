export interface WavSpec {
  sampleRate?: number;
  channels?: number;
  bitsPerSample?: number;
  /** 1 = PCM, 7 = µ-law. */
  audioFormat?: number;
  data: Buffer;
  /** Extra chunks between `fmt ` and `data`, as some writers add (LIST, fact). */
  extraChunks?: Array<{ id: string; body: Buffer }>;
  /** Overrides the size written in the data chunk header (Asterisk leaves 0 until closed). */
  dataSizeField?: number;
}

/** A WAV file built byte by byte, so tests control every header field. */
export function makeWav(spec: WavSpec): Buffer {
  const sampleRate = spec.sampleRate ?? 8000;
  const channels = spec.channels ?? 1;
  const bits = spec.bitsPerSample ?? 16;
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(spec.audioFormat ?? 1, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE((sampleRate * channels * bits) / 8, 8);
  fmt.writeUInt16LE((channels * bits) / 8, 12);
  fmt.writeUInt16LE(bits, 14);
  const chunks = [
    chunk('fmt ', fmt),
    ...(spec.extraChunks ?? []).map((c) => chunk(c.id, c.body)),
    chunk('data', spec.data, spec.dataSizeField),
  ];
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), ...chunks]);
  const header = Buffer.alloc(8);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** `seconds` of 16-bit PCM silence. */
export function silentPcm(seconds: number, sampleRate = 8000): Buffer {
  return Buffer.alloc(Math.round(seconds * sampleRate) * 2);
}

function chunk(id: string, body: Buffer, sizeField = body.length): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'ascii');
  header.writeUInt32LE(sizeField, 4);
  const pad = body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([header, body, pad]);
}
