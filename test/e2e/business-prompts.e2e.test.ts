import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapDid } from '../../core/businesses/business-directory.js';
import { Business, ConsentRecord } from '../../core/entities/index.js';
import { defaultPromptsRoot } from '../../core/prompts/prompt-catalog.js';
import { consentByKeypad, missCall, nextEvent, startStack, type Stack } from '../support/stack.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

let stack: Stack;

/** A second business's prompt set, as generate-prompts.sh would lay it out (sounds/en/bobs/). */
async function promptsWithSecondSet(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'mcr-sounds-'));
  await cp(defaultPromptsRoot(), root, { recursive: true });
  const dir = path.join(root, 'en', 'bobs');
  await cp(path.join(defaultPromptsRoot(), 'en'), dir, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(dir, 'MANIFEST.json'), 'utf8'));
  manifest.business = "Bob's Detailing";
  for (const file of manifest.files) file.text = String(file.text).replaceAll('Acme Plumbing', "Bob's Detailing");
  await writeFile(path.join(dir, 'MANIFEST.json'), JSON.stringify(manifest));
  return root;
}

describe(`each business its own prompts (${describeDatabase()})`, () => {
  beforeAll(async () => {
    stack = await startStack({ database: await createTestDatabase(), promptsRoot: await promptsWithSecondSet() });
    const em = stack.app.db.fork();
    const bobs = Object.assign(new Business(), {
      id: randomUUID(),
      name: "Bob's Detailing",
      promptSet: 'bobs',
      language: 'en',
      createdAt: new Date(),
    });
    await em.persistAndFlush(bobs);
    await mapDid(em, '+14155557777', bobs.id, 'yelp');
  });
  afterAll(async () => stack?.stop());

  it("when a caller dials the second business's number, then they hear its prompts and the consent names it", async () => {
    const call = missCall(stack, { number: '+14155550501', did: '+14155557777' });
    const consented = nextEvent(stack.events, 'consent.recorded', (e) => e.channelId === call.channelId);
    await consentByKeypad(stack, call.channelId);
    const plays = stack.ari.requests.filter((r) => r.path.startsWith(`/ari/channels/${call.channelId}/play`));
    expect(JSON.stringify(plays[0]?.query)).toContain('sound:bobs/mcr-disclosure');
    expect(plays[0]?.query.lang).toBe('en');
    const record = await stack.app.db.fork().findOneOrFail(ConsentRecord, { id: (await consented).consentRecordId });
    expect(record.businessName).toBe("Bob's Detailing");
    expect(record.disclosureText).toContain("Bob's Detailing");
    const text = await stack.smsc.waitForSubmit((m) => m.to === '14155550501', 10_000);
    expect(text.text).toContain("Bob's Detailing");
  });

  it('when a business names a prompt set that is not there, then its callers get the default prompts rather than silence', async () => {
    const em = stack.app.db.fork();
    const ghost = Object.assign(new Business(), {
      id: randomUUID(),
      name: 'Ghost Co',
      promptSet: 'ghost',
      language: 'en',
      createdAt: new Date(),
    });
    await em.persistAndFlush(ghost);
    await mapDid(em, '+14155556666', ghost.id);
    const call = missCall(stack, { number: '+14155550502', did: '+14155556666' });
    await nextEvent(stack.events, 'ivr.answered', (e) => e.channelId === call.channelId);
    const play = await stack.ari.waitForRequest((r) => r.path.startsWith(`/ari/channels/${call.channelId}/play`));
    expect(JSON.stringify(play.query)).toContain('sound:mcr-disclosure');
    stack.ari.callerHangup(call.channelId);
  });
});
