import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Business, OutboxMessage } from '../../core/entities/index.js';
import { appendTestConsent } from '../support/consent-fixtures.js';
import { startStack, until, type Stack } from '../support/stack.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { addOutboxRow } from './gate-fixtures.js';

const TWO_AM_NEW_YORK = new Date('2026-06-15T06:00:00Z');
const EIGHT_AM_NEW_YORK = new Date('2026-06-15T12:00:00Z');
const CALLER = '+12125550100';

describe(`quiet hours through the real outbox and SMSC (${describeDatabase()})`, () => {
  let stack: Stack;
  const row = (id: string) => stack.app.db.fork().findOneOrFail(OutboxMessage, { id });

  beforeAll(async () => {
    // Only Date is faked (timers stay real) and it keeps moving: the product reads a clock that says 02:00 in New York.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(TWO_AM_NEW_YORK);
    stack = await startStack({ database: await createTestDatabase(), quietHours: '08:00-20:00' });
  });
  afterAll(async () => {
    await stack?.stop();
    vi.useRealTimers();
  });

  it('when a text for a +1 212 number is due at 02:00 New York time, then it waits with not_before 08:00 New York, and goes then', async () => {
    const consent = await appendTestConsent(stack.app.db, { callerE164: CALLER });
    const business = await stack.app.db.fork().findOneOrFail(Business, { id: consent.businessId });
    const text = await addOutboxRow(stack.app.db, {
      businessId: business.id,
      toE164: CALLER,
      kind: 'acknowledgement',
      notBefore: new Date(),
    });
    stack.app.outbox?.wake();
    await until(async () => (await row(text.id)).refusalReason === 'quiet_hours', 10_000, 'the gate to defer the text');
    const deferred = await row(text.id);
    expect(deferred).toMatchObject({ status: 'queued', refusalReason: 'quiet_hours', attempts: 0 });
    expect(deferred.notBefore.toISOString()).toBe(EIGHT_AM_NEW_YORK.toISOString());
    expect(stack.smsc.submitted.some((m) => m.to === CALLER.slice(1))).toBe(false);

    const listed = await fetch(`${stack.app.adminUrl}/api/compliance/refusals?state=deferred`, {
      headers: { authorization: `Bearer ${stack.apiKey}` },
    });
    expect(((await listed.json()) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ id: text.id, refusal_reason: 'quiet_hours', not_before: EIGHT_AM_NEW_YORK.toISOString() }),
    ]);

    // 08:00 in New York: the same row is claimed again, passes, and reaches the SMSC.
    vi.setSystemTime(new Date(EIGHT_AM_NEW_YORK.getTime() + 1000));
    stack.app.outbox?.wake();
    const sent = await stack.smsc.waitForSubmit((m) => m.to === CALLER.slice(1), 10_000);
    expect(sent.text).toBe(text.body);
  });
});
