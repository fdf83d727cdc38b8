import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Business, Call, CallbackTask, CallerListEntry, Lead } from '../../core/entities/index.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { nextEvent, startStack, type Stack } from '../support/stack.js';

let stack: Stack;

function ring(number: string, variables: Record<string, string> = {}): string {
  const channelId = stack.ari.addChannel({ callerNumber: number, exten: '+14155559999', variables });
  stack.ari.startStasis(channelId, ['NOANSWER', '+14155559999']);
  return channelId;
}

async function list(phone: string, kind: 'allow' | 'block'): Promise<void> {
  const em = stack.app.db.fork();
  const business = await em.findOneOrFail(Business, { isDefault: true });
  await em.persistAndFlush(
    Object.assign(new CallerListEntry(), {
      id: randomUUID(),
      businessId: business.id,
      phoneE164: phone,
      list: kind,
      createdAt: new Date(),
    }),
  );
}

describe(`screening before anyone is bothered (${describeDatabase()})`, () => {
  beforeAll(async () => {
    stack = await startStack({ database: await createTestDatabase() });
  });
  afterAll(async () => stack?.stop());

  it('when a block-listed number calls, then it is hung up on unanswered, logged with the reason, and makes no lead', async () => {
    await list('+14155550301', 'block');
    const channelId = ring('+14155550301');
    expect((await nextEvent(stack.events, 'call.screened', (e) => e.channelId === channelId)).reason).toBe('blocked');
    const requests = stack.ari.requests.filter((r) => r.path.startsWith(`/ari/channels/${channelId}`));
    expect(requests.some((r) => r.path.endsWith('/answer'))).toBe(false);
    expect(requests.some((r) => r.method === 'DELETE')).toBe(true);
    const call = await stack.app.db.fork().findOneOrFail(Call, { channelId });
    expect(call).toMatchObject({ outcome: 'screened', screeningReason: 'blocked', leadId: null });
    expect(await stack.app.db.fork().count(Lead, { phoneE164: '+14155550301' })).toBe(0);
  });

  it('when the caller id is an impossible number, then the call goes on to voicemail and is never texted', async () => {
    for (const hostile of ['9'.repeat(200), "1'; drop table call;--", '<img src=x onerror=alert(1)>', '+1 000 000 0000']) {
      const channelId = ring(hostile);
      expect((await nextEvent(stack.events, 'call.screened', (e) => e.channelId === channelId)).reason).toBe('invalid_number');
      expect(stack.ari.requests.some((r) => r.path === `/ari/channels/${channelId}/continue` && r.query.label === 'voicemail')).toBe(true);
    }
    expect(stack.smsc.submitted).toHaveLength(0);
  });

  it('when STIR/SHAKEN verification failed, then the call is screened; when it succeeded, it is not', async () => {
    const failed = ring('+14155550302', { MCR_STIR_SHAKEN: 'Signature verification failed' });
    expect((await nextEvent(stack.events, 'call.screened', (e) => e.channelId === failed)).reason).toBe('stir_shaken_failed');
    const passed = ring('+14155550303', { MCR_STIR_SHAKEN: 'Verification successful' });
    await nextEvent(stack.events, 'ivr.answered', (e) => e.channelId === passed);
    stack.ari.callerHangup(passed);
    await nextEvent(stack.events, 'call.recorded', (e) => e.channelId === passed);
  });

  it('when one number calls too often within an hour, then the calls beyond the limit are screened', async () => {
    const em = stack.app.db.fork();
    const business = await em.findOneOrFail(Business, { isDefault: true });
    business.maxCallsPerHour = 2;
    await em.flush();
    for (let i = 0; i < 2; i += 1) {
      const channelId = ring('+14155550304');
      await nextEvent(stack.events, 'ivr.answered', (e) => e.channelId === channelId);
      stack.ari.callerHangup(channelId);
      await nextEvent(stack.events, 'call.recorded', (e) => e.channelId === channelId);
    }
    const third = ring('+14155550304');
    expect((await nextEvent(stack.events, 'call.screened', (e) => e.channelId === third)).reason).toBe('too_frequent');
    expect(await stack.app.db.fork().count(CallbackTask, { phoneE164: '+14155550304' })).toBe(1);
    business.maxCallsPerHour = 10;
    await em.flush();
  });

  it('when a number is allow-listed, then it reaches the IVR even if it would be screened', async () => {
    await list('+14155550305', 'allow');
    const channelId = ring('+14155550305', { MCR_STIR_SHAKEN: 'Verification failed' });
    await nextEvent(stack.events, 'ivr.answered', (e) => e.channelId === channelId);
    stack.ari.callerHangup(channelId);
  });
});
