export interface WavFormat {
  /** 1 = PCM, 6 = A-law, 7 = µ-law (WAVE_FORMAT_EXTENSIBLE is resolved to its sub-format). */
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** The samples, without the RIFF header. */
  data: Buffer;
}

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Reads a WAV file's format and samples by walking its RIFF chunks, so a LIST or
 * fact chunk before `data` is skipped rather than sent as audio. A `data` size
 * of 0 or past the end of the buffer means "to the end": Asterisk fills the
 * sizes in only when it closes the recording.
 */
export function readWav(file: Buffer): WavFormat {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('audio is not a WAV (RIFF/WAVE) file');
  }
  let format: Omit<WavFormat, 'data'> | undefined;
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= file.length) {
      let audioFormat = file.readUInt16LE(body);
      if (audioFormat === WAVE_FORMAT_EXTENSIBLE && size >= 26 && body + 26 <= file.length) {
        audioFormat = file.readUInt16LE(body + 24);
      }
      format = {
        audioFormat,
        channels: file.readUInt16LE(body + 2),
        sampleRate: file.readUInt32LE(body + 4),
        bitsPerSample: file.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV file has its data chunk before its fmt chunk');
      const end = size === 0 ? file.length : Math.min(file.length, body + size);
      return { ...format, data: file.subarray(body, end) };
    }
    // Chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  throw new Error(format ? 'WAV file has no data chunk' : 'WAV file has no fmt chunk');
}
