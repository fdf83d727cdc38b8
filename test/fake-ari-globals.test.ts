// Global variables on the fake Asterisk (GET/POST /asterisk/variable), through
// ari-client as an app would use them and over raw HTTP for Asterisk's edge cases.
import ari, { type Client } from 'ari-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutSwaggerNotice } from '../ari-app/ari-client-quirks.js';
import { ariFetch, createFakeAri, type FakeAri } from './fakes/ari/index.js';

describe('fake ARI global variables', () => {
  let fake: FakeAri;
  let client: Client;

  beforeAll(async () => {
    fake = await createFakeAri({ username: 'mcr', password: 'ari-secret' });
    client = await withoutSwaggerNotice(() => ari.connect(fake.url, 'mcr', 'ari-secret'));
  });
  // REST only: no client.start(), so there is no event socket to stop (stop() would throw).
  afterAll(async () => fake?.close());

  it('when ari-client sets a global, then the fake shows it and ari-client reads it back', async () => {
    await client.asterisk.setGlobalVar({ variable: 'MCR_OPEN_12125550100', value: '1' });
    expect(fake.globals.get('MCR_OPEN_12125550100')).toBe('1');
    expect(await client.asterisk.getGlobalVar({ variable: 'MCR_OPEN_12125550100' })).toEqual({ value: '1' });
  });

  it('when a global was never set, then it reads as an empty string (200), as on Asterisk', async () => {
    expect(await client.asterisk.getGlobalVar({ variable: 'NEVER_SET' })).toEqual({ value: '' });
  });

  it('when a global is set without a value, then it is removed', async () => {
    await client.asterisk.setGlobalVar({ variable: 'GOING', value: 'x' });
    await client.asterisk.setGlobalVar({ variable: 'GOING' });
    expect(fake.globals.has('GOING')).toBe(false);
  });

  it('when the variable name is missing or empty, then 400', async () => {
    expect((await ariFetch(fake, '/ari/asterisk/variable', { method: 'POST' })).status).toBe(400);
    expect((await ariFetch(fake, '/ari/asterisk/variable?variable=', { method: 'POST' })).status).toBe(400);
    expect((await ariFetch(fake, '/ari/asterisk/variable')).status).toBe(400);
  });

  it('when the fake Asterisk restarts, then its globals are gone (as runtime globals are)', async () => {
    await client.asterisk.setGlobalVar({ variable: 'MCR_OPEN_DEFAULT', value: '0' });
    fake.restart();
    expect(fake.globals.size).toBe(0);
    const control = await fetch(`${fake.url}/_control/globals`);
    expect(await control.json()).toEqual({});
  });
});
