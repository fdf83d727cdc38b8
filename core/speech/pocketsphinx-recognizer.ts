import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deadlineSignal } from './deadline.js';
import { findExecutable } from './find-executable.js';
import { interpretTranscript } from './interpret-transcript.js';
import { consentDictionary, consentJsgf } from './pocketsphinx-grammar.js';
import { runProcess } from './run-process.js';
import { SpeechRecognitionError } from './speech-errors.js';
import type { RecognizeOptions, SpeechRecognizer, SpeechResult, SpeechTranscriber, Transcription } from './speech-recognizer.js';

export interface PocketsphinxOptions {
  /** Acoustic model folder; Debian's pocketsphinx-en-us puts it here. */
  modelDir?: string;
  /** Program names or paths, for installs outside PATH. */
  pocketsphinxBin?: string;
  soxBin?: string;
  /** Where the per-call scratch folder goes (removed after each call). */
  tempDir?: string;
  /** Default upper bound per recognition; a call's own `timeoutMs` wins. */
  timeoutMs?: number;
}

export interface EngineAvailability {
  available: boolean;
  /** One line per missing piece, each naming what to install. */
  problems: string[];
  /** Debian packages that would fix every problem. */
  debianPackages: string[];
}

export const DEFAULT_POCKETSPHINX_MODEL = '/usr/share/pocketsphinx/model/en-us/en-us';
// pocketsphinx_batch, not _continuous: it normalises each file over the whole
// utterance (batch CMN), where _continuous starts from a generic estimate that
// short 8 kHz answers never correct; in trials that alone turned "no" from
// unrecognised into recognised.
const DEFAULT_BIN = 'pocketsphinx_batch';
const DEFAULT_TIMEOUT_MS = 10_000;
// The en-us model is trained on 16 kHz audio (its filters reach 6.8 kHz) and
// refuses 8 kHz input, so phone audio is upsampled; the empty upper band costs
// some accuracy, which the small grammar makes up for.
const MODEL_RATE = '16000';

/**
 * Offline adapter: no audio leaves the machine. sox converts whatever Asterisk
 * recorded to 16 kHz mono 16-bit raw, pocketsphinx decodes it against a small
 * yes/no grammar, and interpretTranscript reads the answer.
 */
export class PocketsphinxRecognizer implements SpeechRecognizer, SpeechTranscriber {
  readonly engine = 'pocketsphinx';
  private readonly modelDir: string;
  private readonly pocketsphinxBin: string;
  private readonly soxBin: string;
  private readonly tempDir: string;
  private readonly timeoutMs: number;

  constructor(options: PocketsphinxOptions = {}) {
    this.modelDir = options.modelDir ?? DEFAULT_POCKETSPHINX_MODEL;
    this.pocketsphinxBin = options.pocketsphinxBin ?? DEFAULT_BIN;
    this.soxBin = options.soxBin ?? 'sox';
    this.tempDir = options.tempDir ?? os.tmpdir();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  static async checkAvailability(options: PocketsphinxOptions = {}): Promise<EngineAvailability> {
    const problems: string[] = [];
    const packages = new Set<string>();
    const bin = options.pocketsphinxBin ?? DEFAULT_BIN;
    if (!(await findExecutable(bin))) {
      problems.push(`${bin} not found (Debian package: pocketsphinx)`);
      packages.add('pocketsphinx');
    }
    const sox = options.soxBin ?? 'sox';
    if (!(await findExecutable(sox))) {
      problems.push(`${sox} not found (Debian package: sox)`);
      packages.add('sox');
    }
    const modelDir = options.modelDir ?? DEFAULT_POCKETSPHINX_MODEL;
    if (!(await modelPresent(modelDir))) {
      problems.push(`no acoustic model in ${modelDir} (Debian package: pocketsphinx-en-us)`);
      packages.add('pocketsphinx-en-us');
    } else if (!(await languageModelPresent(modelDir))) {
      problems.push(`no language model beside ${modelDir} (en-us.lm.bin, cmudict-en-us.dict; Debian package: pocketsphinx-en-us)`);
      packages.add('pocketsphinx-en-us');
    }
    return { available: problems.length === 0, problems, debianPackages: [...packages] };
  }

  static async isAvailable(options: PocketsphinxOptions = {}): Promise<boolean> {
    return (await PocketsphinxRecognizer.checkAvailability(options)).available;
  }

  async recognizeYesNo(audio: Buffer, options: RecognizeOptions = {}): Promise<SpeechResult> {
    const deadline = deadlineSignal(this.engine, options.timeoutMs ?? this.timeoutMs, options.signal);
    let dir: string | undefined;
    try {
      dir = await mkdtemp(path.join(this.tempDir, 'mcr-speech-'));
      const files = scratchFiles(dir);
      await writeFile(files.input, audio);
      await runProcess(this.soxBin, this.soxArgs(files), deadline.signal);
      await Promise.all([
        writeFile(files.grammar, consentJsgf()),
        writeFile(files.dictionary, consentDictionary()),
        writeFile(files.control, `${UTTERANCE}\n`),
      ]);
      await this.decode(files, deadline.signal);
      const transcript = parseHypothesis(await readFile(files.hypothesis, 'utf8'));
      return { answer: interpretTranscript(transcript), transcript, engine: this.engine };
    } catch (error) {
      // A hang-up or the deadline: surface that reason, not the killed process's.
      if (deadline.signal.aborted) throw deadline.signal.reason;
      throw new SpeechRecognitionError(this.engine, error instanceof Error ? error.message : String(error), { cause: error });
    } finally {
      deadline.dispose();
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * A whole message, decoded with the model's own language model and
   * dictionary (en-us.lm.bin, cmudict-en-us.dict). Slower than the yes/no
   * grammar (seconds per message, not milliseconds) and rough on 8 kHz phone
   * audio: the gist of a message, not a faithful record.
   */
  async transcribe(audio: Buffer, options: RecognizeOptions = {}): Promise<Transcription> {
    const deadline = deadlineSignal(this.engine, options.timeoutMs ?? Math.max(this.timeoutMs, 120_000), options.signal);
    let dir: string | undefined;
    try {
      dir = await mkdtemp(path.join(this.tempDir, 'mcr-transcribe-'));
      const files = scratchFiles(dir);
      await writeFile(files.input, audio);
      await runProcess(this.soxBin, this.soxArgs(files), deadline.signal);
      await writeFile(files.control, `${UTTERANCE}\n`);
      const modelRoot = path.dirname(this.modelDir);
      const args = this.pocketsphinxArgs(files).filter((_, i, all) => !['-dict', '-jsgf'].includes(all[i]!) && !['-dict', '-jsgf'].includes(all[i - 1]!));
      args.push('-lm', path.join(modelRoot, 'en-us.lm.bin'), '-dict', path.join(modelRoot, 'cmudict-en-us.dict'));
      await this.decodeWith(files, args, deadline.signal);
      const transcript = parseHypothesis(await readFile(files.hypothesis, 'utf8'));
      return { transcript, engine: this.engine };
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.signal.reason;
      throw new SpeechRecognitionError(this.engine, error instanceof Error ? error.message : String(error), { cause: error });
    } finally {
      deadline.dispose();
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }

  /** Public so the exact commands can be shown when diagnosing an install. */
  soxArgs(files: ScratchFiles): string[] {
    return [
      '-V1', // errors only
      // Repeatable: sox seeds its dither with a fixed number. Without it the
      // dither's randomness alone flipped some answers from one run to the next.
      '-R',
      files.input,
      ...['-t', 'raw', '-r', MODEL_RATE, '-c', '1', '-b', '16', '-e', 'signed-integer', '-L'],
      files.raw,
    ];
  }

  pocketsphinxArgs(files: ScratchFiles): string[] {
    return [
      ...['-adcin', 'yes', '-adchdr', '0', '-input_endian', 'little', '-samprate', MODEL_RATE],
      // Both estimate the noise floor from the first frames, which a one-word
      // answer barely has: with them on, trials lost about one "no" in ten;
      // the grammar's own silence and filler models handle the pauses instead.
      ...['-remove_noise', 'no', '-remove_silence', 'no'],
      ...['-cepdir', path.dirname(files.raw), '-cepext', RAW_EXTENSION, '-ctl', files.control],
      ...['-hmm', this.modelDir, '-dict', files.dictionary, '-jsgf', files.grammar],
      ...['-hyp', files.hypothesis, '-logfn', files.log],
    ];
  }

  private async decode(files: ScratchFiles, signal: AbortSignal): Promise<void> {
    await this.decodeWith(files, this.pocketsphinxArgs(files), signal);
  }

  private async decodeWith(files: ScratchFiles, args: string[], signal: AbortSignal): Promise<void> {
    try {
      await runProcess(this.pocketsphinxBin, args, signal);
    } catch (error) {
      // With -logfn, stderr is empty: the reason is in the log.
      const log = await readFile(files.log, 'utf8').catch(() => '');
      const errors = log.split('\n').filter((line) => line.startsWith('ERROR') || line.startsWith('FATAL'));
      if (errors.length === 0 || signal.aborted) throw error;
      throw new Error(`${(error as Error).message}; ${errors.slice(-3).join(' | ')}`, { cause: error });
    }
  }
}

const UTTERANCE = 'answer';
const RAW_EXTENSION = '.raw';

export interface ScratchFiles {
  input: string;
  raw: string;
  grammar: string;
  dictionary: string;
  control: string;
  hypothesis: string;
  log: string;
}

function scratchFiles(dir: string): ScratchFiles {
  return {
    input: path.join(dir, 'input.wav'),
    raw: path.join(dir, `${UTTERANCE}${RAW_EXTENSION}`),
    grammar: path.join(dir, 'consent.gram'),
    dictionary: path.join(dir, 'consent.dict'),
    control: path.join(dir, 'utterances.ctl'),
    hypothesis: path.join(dir, 'answer.hyp'),
    log: path.join(dir, 'pocketsphinx.log'),
  };
}

/** A hypothesis line is `words (utterance-id score)`; no words means nothing matched. */
export function parseHypothesis(content: string): string {
  const line = content.split('\n').find((l) => l.includes(`(${UTTERANCE} `)) ?? '';
  return line
    .replace(/\s*\([^()]*\)\s*$/, '')
    .replace(/\(\d+\)/g, '') // alternative pronunciation marks, e.g. don't(2)
    .replace(/<[^>]*>|\[[^\]]*\]/g, '') // fillers such as <sil> or [NOISE]
    .replace(/\s+/g, ' ')
    .trim();
}

/** Voicemail transcription needs the language model and dictionary Debian ships next to the acoustic model. */
async function languageModelPresent(modelDir: string): Promise<boolean> {
  const root = path.dirname(modelDir);
  try {
    await Promise.all(['en-us.lm.bin', 'cmudict-en-us.dict'].map((f) => access(path.join(root, f), constants.R_OK)));
    return true;
  } catch {
    return false;
  }
}

async function modelPresent(modelDir: string): Promise<boolean> {
  try {
    await Promise.all(['mdef', 'means', 'variances', 'feat.params'].map((f) => access(path.join(modelDir, f), constants.R_OK)));
    return true;
  } catch {
    return false;
  }
}
