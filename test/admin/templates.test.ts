import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/database.js';
import { DEFAULT_TEMPLATES } from '../../core/messaging/templates.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';
import { buildAdminTestApp, type AdminTestApp } from './admin-test-app.js';

const GOOD_FIRST_TEXT = 'Hi from {{business.name}}! Sorry we missed you. Msg & data rates may apply. Reply STOP to opt out.';

describe(`admin API: templates (${describeDatabase()})`, () => {
  let db: Database;
  let t: AdminTestApp;
  const url = (kind: string, suffix = '') => `/api/businesses/${t.businessId}/templates/${kind}${suffix}`;
  const put = (kind: string, body: string) => t.call({ method: 'PUT', url: url(kind), payload: { body } });

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await buildAdminTestApp(db);
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.close();
  });

  it('when a business has not worded a kind, then the default is shown with the variables it may use', async () => {
    const res = await t.call({ method: 'GET', url: url('first_text') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      kind: 'first_text',
      body: DEFAULT_TEMPLATES.first_text,
      source: 'default',
      updated_at: null,
      variables: ['business.name', 'business.contact_phone'],
    });
    const all = await t.call({ method: 'GET', url: `/api/businesses/${t.businessId}/templates` });
    expect(all.json().map((x: { kind: string }) => x.kind)).toEqual(['first_text', 'optout_confirmation', 'help', 'restart_confirmation']);
  });

  it('when a valid template is saved, then it is stored and read back; deleting it goes back to the default', async () => {
    const saved = await put('first_text', GOOD_FIRST_TEXT);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ kind: 'first_text', body: GOOD_FIRST_TEXT, source: 'business' });
    expect((await t.call({ method: 'GET', url: url('first_text') })).json().body).toBe(GOOD_FIRST_TEXT);
    expect((await t.call({ method: 'DELETE', url: url('first_text') })).statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url: url('first_text') })).json().source).toBe('default');
    expect((await t.call({ method: 'DELETE', url: url('first_text') })).json().error.code).toBe('template_not_set');
  });

  it('when a template uses an unknown variable, then it is refused naming the variable and the allowed ones', async () => {
    const res = await put('first_text', '{{business.adress}}: ' + GOOD_FIRST_TEXT);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('unknown_variable');
    expect(res.json().error.message).toContain('{{business.adress}}');
    expect(res.json().error.message).toContain('business.name, business.contact_phone');
    expect((await put('help', '{{caller.first_text}} {{business.name}} Reply STOP.')).json().error.code).toBe('unknown_variable');
  });

  it('when a block is left open or closed in the wrong order, then it is refused naming the block', async () => {
    const open = await put(
      'help',
      '{{business.name}}: reply STOP to opt out. {{#if business.contact_phone}}Call {{business.contact_phone}}.',
    );
    expect(open.statusCode).toBe(400);
    expect(open.json().error).toEqual({
      code: 'unbalanced_block',
      message: 'unbalanced block: {{#if business.contact_phone}} is never closed: add {{/if}}',
    });
    const crossed = await put('help', '{{business.name}} STOP {{#if business.contact_phone}}x{{#unless business.name}}y{{/if}}{{/unless}}');
    expect(crossed.json().error.message).toContain('{{/if}} closes {{#unless business.name}}');
    const stray = await put('help', '{{business.name}} STOP {{/if}}');
    expect(stray.json().error.message).toContain('{{/if}} closes nothing');
  });

  it('when a template is not valid Handlebars, or uses helpers, loops or partials, then it is refused', async () => {
    expect((await put('help', '{{business.name}} STOP {{business.name')).json().error.code).toBe('syntax_error');
    expect((await put('help', "{{lookup business 'name'}} STOP")).json().error.code).toBe('unsupported_expression');
    expect((await put('help', '{{#each business}}x{{/each}} {{business.name}} STOP')).json().error.message).toContain(
      '{{#each}} is not supported',
    );
    expect((await put('help', '{{> footer}} {{business.name}} STOP')).json().error.code).toBe('unsupported_expression');
  });

  it('when the first text does not say how to STOP, name the business or say rates may apply, then it is refused', async () => {
    const noStop = await put('first_text', '{{business.name}}: sorry we missed you. Msg & data rates may apply.');
    expect(noStop.json().error).toMatchObject({ code: 'missing_required_text' });
    expect(noStop.json().error.message).toContain('STOP');
    const noName = await put('first_text', 'Sorry we missed you. Msg & data rates may apply. Reply STOP to opt out.');
    expect(noName.json().error.message).toContain('{{business.name}}');
    expect((await put('first_text', '{{business.name}}: hi. Reply STOP to opt out.')).json().error.message).toContain('rates may apply');
    // STOP hidden behind a variable that may be empty is not enough.
    const hidden = await put(
      'first_text',
      '{{business.name}}: hi. Msg & data rates may apply.{{#if business.contact_phone}} Reply STOP to opt out.{{/if}}',
    );
    expect(hidden.json().error.message).toContain('when no contact phone is set');
  });

  it('when a template has a euro sign, then the preview says GSM-7 with the euro counted as two septets', async () => {
    const body = '{{business.name}}: 10€ off today. Msg & data rates may apply. Reply STOP to opt out.';
    const res = await t.call({ method: 'POST', url: url('first_text', '/preview'), payload: { body } });
    expect(res.statusCode).toBe(200);
    const text = 'Acme Plumbing: 10€ off today. Msg & data rates may apply. Reply STOP to opt out.';
    expect(res.json()).toEqual({
      kind: 'first_text',
      source: 'draft',
      text,
      encoding: 'GSM-7',
      length: text.length + 1,
      length_unit: 'septets',
      segments: 1,
    });
  });

  it('when a template has an emoji, then the preview says UCS-2 and counts segments of 67 units', async () => {
    const body = `{{business.name}}: sorry we missed your call 😊 ${'we will text you back shortly. '.repeat(2)}Msg & data rates may apply. Reply STOP to opt out.`;
    const res = await t.call({ method: 'POST', url: url('first_text', '/preview'), payload: { body } });
    const preview = res.json();
    expect(preview.encoding).toBe('UCS-2');
    expect(preview.length_unit).toBe('ucs2_units');
    expect(preview.length).toBe(preview.text.length);
    expect(preview.length).toBeGreaterThan(134);
    expect(preview.segments).toBe(Math.ceil(preview.length / 67));
    const short = await t.call({
      method: 'POST',
      url: url('first_text', '/preview'),
      payload: { body: '{{business.name}} 😊 Msg & data rates may apply. Reply STOP.' },
    });
    expect(short.json()).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });

  it('when the preview has no draft, then it renders the stored wording; an invalid draft is refused like a save', async () => {
    await put('help', '{{business.name}} help: call us. Reply STOP to opt out.');
    const stored = await t.call({ method: 'POST', url: url('help', '/preview'), payload: {} });
    expect(stored.json()).toMatchObject({ source: 'stored', text: 'Acme Plumbing help: call us. Reply STOP to opt out.', segments: 1 });
    const bad = await t.call({ method: 'POST', url: url('help', '/preview'), payload: { body: '{{nope}}' } });
    expect(bad.statusCode).toBe(400);
  });

  it('when the kind or the business is unknown, then the answer is a 4xx', async () => {
    expect((await t.call({ method: 'GET', url: url('marketing_blast') })).statusCode).toBe(400);
    const missing = await t.call({ method: 'GET', url: `/api/businesses/${crypto.randomUUID()}/templates/help` });
    expect(missing.json().error.code).toBe('business_not_found');
  });
});
