#!/usr/bin/env bash
# Renders the IVR prompts in en.json to audio Asterisk plays natively
# (8 kHz, mono, 16-bit signed PCM in a RIFF/WAVE file) and writes MANIFEST.json
# beside them: file name, prompt key, the exact text spoken, the text's SHA-256,
# the file's SHA-256 and the prompts version. The app puts those hashes into
# consent records without needing to read Asterisk's disk.
#
# Usage: generate-prompts.sh [BUSINESS_NAME] [OUTPUT_DIR]
#   BUSINESS_NAME  spoken in the disclosure ({{business}}), default "Acme Plumbing"
#   OUTPUT_DIR     default dialplan/sounds/en (relative to the project root)
# Environment:
#   MCR_PROMPTS_FILE  prompt texts (default: en.json beside this script)
#   MCR_TTS_VOICE     espeak-ng voice (default en-us)
#   MCR_TTS_SPEED     words per minute (default 150)
#
# The disclosure names the business, so each business needs its own set: give
# each one its own OUTPUT_DIR (e.g. .../sounds/en/acme) and point the app's
# IVR_SOUND_PREFIX at it (sound:acme/).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_root="$(cd "$script_dir/../.." && pwd)"

business="${1:-Acme Plumbing}"
out_dir="${2:-$project_root/dialplan/sounds/en}"
prompts_file="${MCR_PROMPTS_FILE:-$script_dir/en.json}"
voice="${MCR_TTS_VOICE:-en-us}"
speed="${MCR_TTS_SPEED:-150}"

die() {
  echo "generate-prompts: $*" >&2
  exit 1
}

missing=()
for tool in espeak-ng sox node; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]} > 0)); then
  die "missing required tool(s): ${missing[*]}. Install them first, e.g. on Debian/Ubuntu: apt-get install -y espeak-ng sox (node: Node.js 20+)."
fi
[[ -f "$prompts_file" ]] || die "prompt texts not found: $prompts_file"
[[ "$speed" =~ ^[0-9]+$ ]] || die "MCR_TTS_SPEED must be a whole number of words per minute, got '$speed'"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. Render the texts: one <key>.txt per prompt plus an index "key<TAB>file".
#    Plain substitution, no HTML escaping: "Smith & Sons" is spoken as written
#    (the app must render the same way, e.g. Handlebars with noEscape, for the
#    text hashes to match).
node - "$prompts_file" "$business" "$work" <<'NODE'
const fs = require('node:fs');
const path = require('node:path');
const [promptsFile, business, work] = process.argv.slice(2);
const fail = (message) => {
  console.error(`generate-prompts: ${message}`);
  process.exit(1);
};
if (!business.trim() || business.length > 100 || /[\u0000-\u001f\u007f{}]/.test(business)) {
  fail('the business name must be 1-100 printable characters without braces');
}
let prompts;
try {
  prompts = JSON.parse(fs.readFileSync(promptsFile, 'utf8'));
} catch (err) {
  fail(`cannot read ${promptsFile}: ${err.message}`);
}
if (typeof prompts.version !== 'string' || !prompts.version) fail(`${promptsFile}: "version" must be a non-empty string`);
const index = [];
for (const [key, template] of Object.entries(prompts)) {
  if (key === 'version') continue;
  if (!/^[a-z][a-z0-9_]*$/.test(key)) fail(`${promptsFile}: prompt key "${key}" must be lower_snake_case`);
  if (typeof template !== 'string' || !template.trim()) fail(`${promptsFile}: prompt "${key}" must be a non-empty string`);
  const text = template.replace(/\{\{\s*business\s*\}\}/g, business).replace(/\s+/g, ' ').trim();
  if (/\{\{|\}\}/.test(text)) fail(`${promptsFile}: prompt "${key}" uses a placeholder other than {{business}}`);
  fs.writeFileSync(path.join(work, `${key}.txt`), text);
  index.push(`${key}\tmcr-${key.replace(/_/g, '-')}.wav`);
}
if (index.length === 0) fail(`${promptsFile}: no prompts`);
fs.writeFileSync(path.join(work, 'index.tsv'), index.join('\n') + '\n');
NODE

# 2. Speak each text and convert it. -D (no dither) keeps the output
#    byte-for-byte repeatable, so the hashes only change when the words do.
mkdir -p "$work/out"
while IFS=$'\t' read -r key file; do
  espeak-ng -v "$voice" -s "$speed" -w "$work/tts.wav" -f "$work/$key.txt" ||
    die "espeak-ng failed on prompt '$key'"
  sox -D "$work/tts.wav" -r 8000 -c 1 -b 16 "$work/out/$file" ||
    die "sox failed on prompt '$key'"
  echo "generate-prompts: $file"
done <"$work/index.tsv"

# 3. Manifest, then move everything into place (the audio first, the manifest
#    last, so a manifest never names a file that is not there yet).
node - "$prompts_file" "$business" "$work" "$voice" "$speed" <<'NODE'
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');
const [promptsFile, business, work, voice, speed] = process.argv.slice(2);
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
// Size of the RIFF "data" chunk: the samples, for the duration.
const dataChunkBytes = (wav, file) => {
  for (let at = 12; at + 8 <= wav.length; at += 8 + wav.readUInt32LE(at + 4) + (wav.readUInt32LE(at + 4) % 2)) {
    if (wav.toString('latin1', at, at + 4) === 'data') return wav.readUInt32LE(at + 4);
  }
  console.error(`generate-prompts: ${file} has no data chunk`);
  process.exit(1);
};
const { version } = JSON.parse(fs.readFileSync(promptsFile, 'utf8'));
const files = fs
  .readFileSync(path.join(work, 'index.tsv'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [key, file] = line.split('\t');
    const text = fs.readFileSync(path.join(work, `${key}.txt`), 'utf8');
    const audio = fs.readFileSync(path.join(work, 'out', file));
    const dataBytes = dataChunkBytes(audio, file);
    return {
      key,
      file,
      sound: file.replace(/\.wav$/, ''),
      text,
      textSha256: sha256(text),
      sha256: sha256(audio),
      bytes: audio.length,
      durationMs: Math.round((dataBytes / (8000 * 2)) * 1000),
    };
  });
const manifest = {
  version,
  language: 'en',
  business,
  voice: `espeak-ng -v ${voice} -s ${speed}`,
  format: { container: 'wav', encoding: 'pcm_s16le', sampleRate: 8000, channels: 1, bitsPerSample: 16 },
  files,
};
fs.writeFileSync(path.join(work, 'MANIFEST.json'), JSON.stringify(manifest, null, 2) + '\n');
NODE

mkdir -p "$out_dir"
cp "$work"/out/*.wav "$out_dir"/
cp "$work/MANIFEST.json" "$out_dir/MANIFEST.json"
echo "generate-prompts: wrote $(wc -l <"$work/index.tsv") prompts and MANIFEST.json to $out_dir"
