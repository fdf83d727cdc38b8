import { mkdir, readFile, rename, writeFile, access, unlink } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../hashing.js';

export interface StoredRecording {
  sha256: string;
  /** Path relative to the store's root, as kept in the consent record. */
  relativePath: string;
  bytes: number;
}

/**
 * Recordings kept content-addressed by SHA-256 under one folder: the name is the
 * proof, a file can be checked against its record at any time, and storing the
 * same bytes twice is harmless.
 */
export class RecordingStore {
  constructor(readonly root: string) {}

  async put(audio: Uint8Array, extension = 'wav'): Promise<StoredRecording> {
    const sha256 = sha256Hex(audio);
    const relativePath = path.posix.join(sha256.slice(0, 2), `${sha256}.${extension}`);
    const target = path.join(this.root, relativePath);
    await mkdir(path.dirname(target), { recursive: true });
    if (!(await exists(target))) {
      // Write then rename: a crash never leaves a half-written file under the final name.
      const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temp, audio, { flag: 'wx' });
      await rename(temp, target);
    }
    return { sha256, relativePath, bytes: audio.byteLength };
  }

  async read(relativePath: string): Promise<Buffer> {
    return readFile(this.resolve(relativePath));
  }

  /** Deletes a stored file; false when it was already gone (a purge run again after a crash). */
  async remove(relativePath: string): Promise<boolean> {
    try {
      await unlink(this.resolve(relativePath));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Absolute path of a stored file; refuses paths that would leave the store. */
  resolve(relativePath: string): string {
    const absolute = path.resolve(this.root, relativePath);
    if (!absolute.startsWith(path.resolve(this.root) + path.sep)) throw new Error('recording path escapes the store');
    return absolute;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
