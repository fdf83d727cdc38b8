import type { ConsentRecord } from '../entities/index.js';
import { sha256Hex } from '../hashing.js';

/** Reads a recording by the path kept in its consent record (relative to the store). */
export type RecordingReader = (relativePath: string) => Promise<Uint8Array>;

export type RecordingStatus = 'none' | 'purged' | 'ok' | 'missing' | 'altered' | 'unreadable';

export interface RecordingCheck {
  status: RecordingStatus;
  /** The bytes read, when the file could be read (altered or not). */
  audio?: Uint8Array;
  actualSha256?: string;
}

/**
 * Checks a record's recording file against the SHA-256 the record carries. A
 * missing file is told apart from an unreadable one: the first is lost evidence,
 * the second may be a permissions problem on this machine.
 */
export async function checkRecording(
  record: Pick<ConsentRecord, 'recordingPath' | 'recordingSha256' | 'purgedAt'>,
  read: RecordingReader,
): Promise<RecordingCheck> {
  if (record.purgedAt) return { status: 'purged' };
  if (!record.recordingPath || !record.recordingSha256) return { status: 'none' };
  let audio: Uint8Array;
  try {
    audio = await read(record.recordingPath);
  } catch (err) {
    return { status: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  const actualSha256 = sha256Hex(audio);
  return { status: actualSha256 === record.recordingSha256 ? 'ok' : 'altered', audio, actualSha256 };
}
