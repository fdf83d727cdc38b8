import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../hashing.js';
import type { PromptEvidence } from '../leads/record-ivr-outcome.js';
import { packageRoot } from '../paths.js';

/** Every prompt the consent IVR plays; a manifest lacking one is a start-up error. */
export const PROMPT_KEYS = [
  'announce_recording',
  'disclosure',
  'number_readback',
  'confirm_number',
  'enter_number',
  'invalid_choice',
  'ask_mobile',
  'confirm_text',
  'confirm_callback',
  'confirm_declined',
  'landline_callback',
  'no_input',
] as const;
/**
 * Prompts a set may lack (sets generated before they existed still load): the
 * IVR skips what needs them. `leave_message` offers a caller to leave a message.
 */
export const OPTIONAL_PROMPT_KEYS = ['leave_message'] as const;
export type PromptKeyName = (typeof PROMPT_KEYS)[number] | (typeof OPTIONAL_PROMPT_KEYS)[number];
const REQUIRED: readonly PromptKeyName[] = PROMPT_KEYS;

/** One item of a playback: a recorded prompt, or digits Asterisk speaks one by one. */
export type PromptMedia = { prompt: PromptKeyName } | { digits: string };

interface ManifestFile {
  key: string;
  sound: string;
  text: string;
  textSha256: string;
  sha256: string;
}
interface Manifest {
  version: string;
  language: string;
  business: string;
  files: ManifestFile[];
}

export interface PromptCatalog {
  version: string;
  /** Asterisk language of the audio (its sounds/<language>/ folder). */
  language: string;
  /** The business name the audio speaks. */
  business: string;
  /** Media URI Asterisk plays, e.g. `sound:mcr-disclosure` or `digits:4155550142`. */
  media(item: PromptMedia): string;
  /** Whether the set has this prompt (always true for the required ones). */
  has(key: PromptKeyName): boolean;
  /** What goes into every consent record: the words heard and hashes of text and audio. */
  evidence: PromptEvidence;
}

/** The shipped prompts for the default business, in English. */
export function defaultPromptsDir(): string {
  return path.join(defaultPromptsRoot(), 'en');
}

/** The shipped sounds folder: `<language>/[<prompt set>/]MANIFEST.json` below it. */
export function defaultPromptsRoot(): string {
  return path.join(packageRoot(), 'dialplan', 'sounds');
}

/**
 * Reads the prompts' MANIFEST.json (written by dialplan/prompts/generate-prompts.sh).
 * The app hashes what the caller heard from the manifest, so it needs no access
 * to Asterisk's disk; a missing prompt is a start-up error, not a silent call.
 */
export async function loadPromptCatalog(dir: string, soundPrefix: string): Promise<PromptCatalog> {
  const manifestPath = path.join(dir, 'MANIFEST.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  } catch (err) {
    throw new Error(`cannot read the prompts manifest ${manifestPath}: ${(err as Error).message}`);
  }
  const byKey = new Map(manifest.files.map((f) => [f.key, f]));
  const missing = REQUIRED.filter((key) => !byKey.has(key));
  if (missing.length > 0) throw new Error(`prompts manifest ${manifestPath} lacks: ${missing.join(', ')}`);
  const get = (key: PromptKeyName) => {
    const entry = byKey.get(key);
    if (!entry) throw new Error(`prompts manifest ${manifestPath} has no ${key}`);
    return entry;
  };
  const announce = get('announce_recording');
  const disclosure = get('disclosure');
  return {
    version: manifest.version,
    language: manifest.language ?? 'en',
    business: manifest.business,
    has: (key) => byKey.has(key),
    media: (item) => ('digits' in item ? `digits:${item.digits.replace(/[^0-9]/g, '')}` : `${soundPrefix}${get(item.prompt).sound}`),
    evidence: {
      disclosureText: `${announce.text} ${disclosure.text}`,
      disclosureVersion: manifest.version,
      disclosureSha256: sha256Hex(`${announce.text} ${disclosure.text}`),
      // The two files played before the choice, in order: one hash for what the caller heard.
      promptAudioSha256: sha256Hex(`${announce.sha256}\n${disclosure.sha256}`),
    },
  };
}
