import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/database.js';
import { ensureDefaultBusiness, mapDid } from '../../core/businesses/business-directory.js';
import { verifyConsentChain } from '../../core/consent/consent-ledger.js';
import { CallbackTask, ConsentRecord, Lead, OutboxMessage } from '../../core/entities/index.js';
import { recordIvrOutcome, type IvrOutcome } from '../../core/leads/record-ivr-outcome.js';
import { RecordingStore } from '../../core/recordings/recording-store.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

const settings = { defaultCountry: 'US', defaultSenderId: 'MCR' };
let db: Database;
let store: RecordingStore;
let n = 0;

function outcome(overrides: Partial<IvrOutcome>): IvrOutcome {
  n += 1;
  return {
    channelId: `chan-${n}`,
    uniqueid: `1700000000.${n}`,
    linkedid: `1700000000.${n}`,
    callerNumber: '+14155550100',
    dialedNumber: '+14155559999',
    reason: 'NOANSWER',
    choice: 'text',
    dtmf: '1',
    enteredAt: new Date(),
    answeredAt: new Date(),
    endedAt: new Date(),
    prompts: {
      disclosureText: 'We missed you',
      disclosureVersion: 'v1',
      disclosureSha256: 'a'.repeat(64),
      promptAudioSha256: 'b'.repeat(64),
    },
    ...overrides,
  };
}

describe(`recording an IVR outcome (${describeDatabase()})`, () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new RecordingStore(await mkdtemp(path.join(tmpdir(), 'mcr-rec-')));
    await ensureDefaultBusiness(db.fork(), 'Acme Plumbing');
  });
  afterAll(async () => db?.close());

  it('when the caller pressed 1, then call, lead, consent and first text are written together', async () => {
    const audio = await store.put(Buffer.from('RIFF-fake-audio-1'));
    const result = await recordIvrOutcome(
      db.fork(),
      settings,
      outcome({ recording: { relativePath: audio.relativePath, sha256: audio.sha256, durationMs: 4000 } }),
    );
    expect(result.outcome).toBe('consented');
    const em = db.fork();
    const consent = await em.findOneOrFail(ConsentRecord, { id: result.consentRecordId });
    expect(consent).toMatchObject({
      kind: 'grant',
      callerE164: '+14155550100',
      recordingSha256: audio.sha256,
      businessName: 'Acme Plumbing',
      dtmf: '1',
    });
    const text = await em.findOneOrFail(OutboxMessage, { id: result.outboxId });
    expect(text).toMatchObject({ toE164: '+14155550100', status: 'queued', kind: 'acknowledgement' });
    expect(text.body).toContain('Acme Plumbing');
    expect(text.body).toContain('STOP');
    expect((await em.findOneOrFail(Lead, { id: result.leadId })).status).toBe('texting');
  });

  it('when the same channel is recorded twice, then nothing is duplicated', async () => {
    const first = outcome({});
    const a = await recordIvrOutcome(db.fork(), settings, first);
    const b = await recordIvrOutcome(db.fork(), settings, first);
    expect(b.duplicate).toBe(true);
    expect(b.callId).toBe(a.callId);
  });

  it('when the caller pressed 2, timed out or hung up, then a callback task is opened and no text is queued', async () => {
    for (const [choice, reason] of [
      ['callback', 'callback_requested'],
      ['timeout', 'no_response'],
      ['hangup', 'hung_up_in_ivr'],
    ] as const) {
      const result = await recordIvrOutcome(db.fork(), settings, outcome({ choice, callerNumber: `+1415555${String(1000 + n)}` }));
      expect(result.outboxId).toBeUndefined();
      const task = await db.fork().findOneOrFail(CallbackTask, { id: result.callbackTaskId });
      expect(task.reason).toBe(reason);
      expect(task.dueAt.getTime()).toBeGreaterThan(Date.now());
    }
  });

  it('when a withheld caller presses 1, then they are never texted and go to the callback list', async () => {
    const result = await recordIvrOutcome(db.fork(), settings, outcome({ callerNumber: 'anonymous' }));
    expect(result.outcome).toBe('withheld_number');
    expect(result.outboxId).toBeUndefined();
    expect(result.consentRecordId).toBeUndefined();
    expect((await db.fork().findOneOrFail(CallbackTask, { id: result.callbackTaskId })).reason).toBe('withheld_number');
  });

  it('when a DID is mapped to a campaign, then the lead carries its source tag', async () => {
    const em = db.fork();
    const business = await ensureDefaultBusiness(em, 'ignored');
    await mapDid(em, '+14155558888', business.id, 'google-ads');
    const result = await recordIvrOutcome(db.fork(), settings, outcome({ dialedNumber: '(415) 555-8888', callerNumber: '+14155550177' }));
    expect((await db.fork().findOneOrFail(Lead, { id: result.leadId })).source).toBe('google-ads');
  });

  it('when the same caller calls again and presses 1, then the open lead is reused and not texted twice', async () => {
    const first = await recordIvrOutcome(db.fork(), settings, outcome({ callerNumber: '+14155550123' }));
    const second = await recordIvrOutcome(db.fork(), settings, outcome({ callerNumber: '+14155550123' }));
    expect(second.leadId).toBe(first.leadId);
    expect(second.outboxId).toBeUndefined();
    expect(await db.fork().count(OutboxMessage, { leadId: first.leadId })).toBe(1);
  });

  it('when many calls consent at once, then the chain stays linear and verifies', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => recordIvrOutcome(db.fork(), settings, outcome({ callerNumber: `+1415555${String(2000 + i)}` }))),
    );
    const verification = await verifyConsentChain(db.fork(), (p) => store.read(p));
    expect(verification.problems).toEqual([]);
    expect(verification.records).toBeGreaterThanOrEqual(14);
    expect(verification.recordingsChecked).toBe(1);
  });

  it('when a record is edited, then the update is refused; when a recording is altered, then verification fails', async () => {
    const em = db.fork();
    await expect(em.getConnection().execute("update consent_record set dtmf = '9'")).rejects.toThrow(/append-only/);
    await expect(em.getConnection().execute('delete from consent_record')).rejects.toThrow(/append-only/);
    const withAudio = await em.findOneOrFail(ConsentRecord, { recordingPath: { $ne: null } });
    await writeFile(store.resolve(withAudio.recordingPath!), 'tampered');
    const verification = await verifyConsentChain(db.fork(), (p) => store.read(p));
    expect(verification.problems).toEqual([
      expect.objectContaining({ seq: Number(withAudio.seq), problem: 'recording does not match its SHA-256' }),
    ]);
  });
});
