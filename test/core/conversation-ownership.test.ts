import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../core/audit/audit-log.js';
import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import {
  isStaffOwned,
  queueStaffReply,
  releaseConversation,
  takeOverConversation,
} from '../../core/conversations/conversation-ownership.js';
import type { Database } from '../../core/db/database.js';
import { AuditEntry, Lead, OutboxMessage, StaffMember } from '../../core/entities/index.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

let db: Database;
let businessId: string;
let lead: Lead;
let staff: StaffMember;

beforeAll(async () => {
  db = await createTestDatabase();
  businessId = (await ensureDefaultBusiness(db.fork(), 'Acme Plumbing')).id;
  const em = db.fork();
  lead = Object.assign(new Lead(), { id: randomUUID(), businessId, phoneE164: '+14155550142', status: 'texting' as const });
  staff = Object.assign(new StaffMember(), { id: randomUUID(), businessId, name: 'Rita', role: 'receptionist' as const });
  em.persist([lead, staff]);
  await em.flush();
});
afterAll(async () => db?.close());

describe(`conversation ownership and the audit log (${describeDatabase()})`, () => {
  it('when a staff member replies, then the text is queued as theirs and the engine is silenced until release', async () => {
    expect(await isStaffOwned(db.fork(), lead.id)).toBe(false);
    const em = db.fork();
    const text = await queueStaffReply(em, {
      lead: await em.findOneOrFail(Lead, { id: lead.id }),
      staff,
      body: 'Hi, Rita here',
      defaultSenderId: 'MCR',
    });
    await em.flush();
    const stored = await db.fork().findOneOrFail(OutboxMessage, { id: text.id });
    expect(stored).toMatchObject({
      kind: 'conversational',
      author: 'staff',
      staffMemberId: staff.id,
      status: 'queued',
      toE164: '+14155550142',
    });
    expect(await isStaffOwned(db.fork(), lead.id)).toBe(true);

    const again = db.fork();
    await releaseConversation(again, await again.findOneOrFail(Lead, { id: lead.id }));
    await again.flush();
    expect(await isStaffOwned(db.fork(), lead.id)).toBe(false);

    const third = db.fork();
    await takeOverConversation(third, await third.findOneOrFail(Lead, { id: lead.id }), staff);
    await third.flush();
    expect(await isStaffOwned(db.fork(), lead.id)).toBe(true);
  });

  it('keeps audit entries and refuses to edit or delete them', async () => {
    const em = db.fork();
    recordAudit(
      em,
      { kind: 'api_key', id: 'k1', name: 'crm' },
      { action: 'business.update', entityType: 'business', entityId: businessId, businessId, before: { name: 'A' }, after: { name: 'B' } },
    );
    await em.flush();
    const entry = await db.fork().findOneOrFail(AuditEntry, { action: 'business.update' });
    expect(entry).toMatchObject({ actorKind: 'api_key', actorName: 'crm', before: { name: 'A' }, after: { name: 'B' } });
    await expect(db.fork().getConnection().execute(`update audit_log set action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.fork().getConnection().execute(`delete from audit_log`)).rejects.toThrow(/append-only/);
  });
});
