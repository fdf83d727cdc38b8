import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxMessage } from '../../core/entities/index.js';
import { consentByKeypad, missCall, nextEvent, startStack, until, type Stack } from '../support/stack.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { addOutboxRow } from './gate-fixtures.js';

const CALLER = '+14155550177';

interface RefusalList {
  items: { refusal_reason: string; state: string }[];
}
const OWN_FIRST_TEXT =
  'Hello from {{business.name}}! We saw your call and will text you shortly.{{#if business.contact_phone}} Or call {{business.contact_phone}}.{{/if}} Msg & data rates may apply. Reply STOP to opt out.';

describe(`a business's own first text, and the caps, end to end (${describeDatabase()})`, () => {
  let stack: Stack;
  let businessId: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.app.adminUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json', ...init.headers },
    });
  const rowsTo = (to: string) => stack.app.db.fork().find(OutboxMessage, { toE164: to }, { orderBy: { createdAt: 'asc' } });

  beforeAll(async () => {
    stack = await startStack({ database: await createTestDatabase() });
    const businesses = (await (await api('/api/businesses')).json()) as { items: { id: string }[] };
    businessId = businesses.items[0]?.id ?? '';
  });
  afterAll(async () => stack?.stop());

  it('when the business has its own first text, then a caller who presses 1 gets that text over SMPP', async () => {
    await api(`/api/businesses/${businessId}`, { method: 'PATCH', body: JSON.stringify({ contact_phone: '+14155550123' }) });
    const saved = await api(`/api/businesses/${businessId}/templates/first_text`, {
      method: 'PUT',
      body: JSON.stringify({ body: OWN_FIRST_TEXT }),
    });
    expect(saved.status).toBe(200);

    const call = missCall(stack, { number: CALLER });
    const consented = nextEvent(stack.events, 'consent.recorded', (e) => e.channelId === call.channelId);
    await consentByKeypad(stack, call.channelId);
    await consented;
    const first = await stack.smsc.waitForSubmit((m) => m.to === CALLER.slice(1), 10_000);
    expect(first.text).toBe(
      'Hello from Acme Plumbing! We saw your call and will text you shortly. Or call +14155550123. Msg & data rates may apply. Reply STOP to opt out.',
    );
  });

  it('when three more texts and a second recovery are queued for that caller, then two go and the rest are refused with their reasons', async () => {
    await until(async () => (await rowsTo(CALLER)).every((r) => r.status === 'delivered'), 10_000, 'the first text delivered');
    const queued = [];
    for (let i = 1; i <= 3; i++)
      queued.push(await addOutboxRow(stack.app.db, { businessId, toE164: CALLER, body: `Update ${i} on your enquiry.` }));
    const recovery = await addOutboxRow(stack.app.db, {
      businessId,
      toE164: CALLER,
      kind: 'acknowledgement',
      body: 'Sorry we missed you again.',
    });
    stack.app.outbox?.wake();
    await until(
      async () => (await rowsTo(CALLER)).every((r) => r.status !== 'queued' && r.status !== 'sending'),
      10_000,
      'every text decided',
    );

    const rows = await rowsTo(CALLER);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const refused = rows.filter((r) => r.status === 'refused');
    // The first text plus two updates make three in 24 h.
    expect(rows.filter((r) => r.status !== 'refused')).toHaveLength(3);
    expect(refused.map((r) => r.refusalReason).sort()).toEqual(['daily_cap', 'recovery_already_sent']);
    expect(byId.get(recovery.id)?.refusalReason).toBe('recovery_already_sent');
    expect(stack.smsc.submitted.filter((m) => m.to === CALLER.slice(1))).toHaveLength(3);
    expect(queued.filter((q) => byId.get(q.id)?.status === 'refused')).toHaveLength(1);

    const listed = (await (await api(`/api/compliance/refusals?to=${encodeURIComponent(CALLER)}`)).json()) as RefusalList;
    expect(listed.items.map((i) => `${i.refusal_reason}:${i.state}`).sort()).toEqual([
      'daily_cap:refused',
      'recovery_already_sent:refused',
    ]);
  });

  it("when the capped caller texts HELP, then the business's own HELP answer still goes", async () => {
    const help = '{{business.name}} help desk: texts about your call. Reply STOP to opt out.';
    expect(
      (await api(`/api/businesses/${businessId}/templates/help`, { method: 'PUT', body: JSON.stringify({ body: help }) })).status,
    ).toBe(200);
    const before = stack.smsc.submitted.length;
    expect(await stack.smsc.sendMo({ from: CALLER, to: '+14155559999', text: 'HELP' })).toBe(0);
    const answer = await stack.smsc.waitForSubmit((m) => m.to === CALLER.slice(1) && stack.smsc.submitted.indexOf(m) >= before, 10_000);
    expect(answer.text).toBe('Acme Plumbing help desk: texts about your call. Reply STOP to opt out.');
  });
});
