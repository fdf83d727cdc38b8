import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import { appendConsentRecord, type ConsentFacts } from '../../core/consent/consent-ledger.js';
import type { Database, EntityManager } from '../../core/db/database.js';
import type { ConsentRecord } from '../../core/entities/index.js';
import type { RecordingStore } from '../../core/recordings/recording-store.js';

/** Appends one consent record the way the product does (its own transaction), with plausible IVR facts. */
export async function appendTestConsent(
  db: Pick<Database, 'fork'>,
  overrides: Partial<ConsentFacts> = {},
  store?: RecordingStore,
): Promise<ConsentRecord> {
  const business = await ensureDefaultBusiness(db.fork(), 'Acme Plumbing');
  const audio = store ? await store.put(Buffer.from(`RIFF-consent-audio-${Math.random()}`)) : null;
  return db.fork().transactional((tx: EntityManager) =>
    appendConsentRecord(tx, {
      kind: 'grant',
      businessId: business.id,
      businessName: business.name,
      callerE164: '+14155550100',
      did: '+14155559999',
      uniqueid: '1700000000.1',
      recordedAt: new Date(),
      disclosureText: 'This call is recorded. Acme Plumbing: press 1 for texts about your enquiry.',
      disclosureVersion: 'v1',
      disclosureSha256: 'a'.repeat(64),
      promptAudioSha256: 'b'.repeat(64),
      dtmf: '1',
      transcript: null,
      recordingPath: audio?.relativePath ?? null,
      recordingSha256: audio?.sha256 ?? null,
      recordingDurationMs: audio ? 4000 : null,
      scope: 'texts about this enquiry',
      source: 'ivr',
      ...overrides,
    }),
  );
}

/** Runs SQL as a superuser would, with the append-only trigger switched off: what a tamperer with database access can do. */
export async function tamper(em: EntityManager, sql: string, params: unknown[] = []): Promise<void> {
  await em.transactional(async (tx) => {
    const connection = tx.getConnection();
    const ctx = tx.getTransactionContext();
    await connection.execute('alter table consent_record disable trigger consent_record_append_only', [], 'run', ctx);
    await connection.execute(sql, params, 'run', ctx);
    await connection.execute('alter table consent_record enable trigger consent_record_append_only', [], 'run', ctx);
  });
}
