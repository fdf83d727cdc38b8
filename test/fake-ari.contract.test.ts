// Keeps the fake ARI honest: its own Swagger description, the events it sends
// and the JSON it answers with are checked against the description a real
// Asterisk 22 serves (../shared/asterisk-ari/api-docs, next to the project).
// Skipped, with a note, when that folder is not there.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_EVENT_TYPES,
  apiDeclarations,
  ariFetch,
  AriEventType,
  createFakeAri,
  FAKE_RESOURCE_NAMES,
  openEventSocket,
  resourceListing,
  type ApiDeclaration,
  type AriEvent,
  type FakeAri,
  type ResourceListing,
  type SwaggerModel,
  type SwaggerOperation,
  type SwaggerParameter,
} from './fakes/ari/index.js';

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

const REAL_DOCS = resolve(projectRoot(), '../shared/asterisk-ari/api-docs');
const available = existsSync(join(REAL_DOCS, 'resources.json'));
if (!available) {
  console.warn(`[fake-ari contract] SKIPPED: Asterisk's ARI description not found at ${REAL_DOCS}`);
}

interface RealDocs {
  listing: ResourceListing;
  declarations: Map<string, ApiDeclaration>;
  /** Every model of every resource file, as swagger-client merges them. */
  models: Map<string, SwaggerModel>;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(REAL_DOCS, file), 'utf8'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadRealDocs(): RealDocs {
  const listing = readJson('resources.json');
  if (!isObject(listing) || !Array.isArray(listing['apis'])) throw new Error('unexpected resources.json');
  const declarations = new Map<string, ApiDeclaration>();
  const models = new Map<string, SwaggerModel>();
  for (const file of readdirSync(REAL_DOCS).filter((f) => f.endsWith('.json') && f !== 'resources.json')) {
    const doc = readJson(file);
    if (!isObject(doc) || !Array.isArray(doc['apis']) || !isObject(doc['models'])) throw new Error(`unexpected ${file}`);
    // Shape checked above; the rest is Swagger 1.1 as Asterisk writes it.
    const declaration = doc as unknown as ApiDeclaration;
    declarations.set(file.replace(/\.json$/, ''), declaration);
    for (const [name, model] of Object.entries(declaration.models)) if (!models.has(name)) models.set(name, model);
  }
  return { listing: listing as unknown as ResourceListing, declarations, models };
}

function findRealOperation(real: RealDocs, resource: string, path: string, method: string): SwaggerOperation | undefined {
  return real.declarations
    .get(resource)
    ?.apis.find((api) => api.path === path)
    ?.operations.find((op) => op.httpMethod === method);
}

/** What ari-client relies on: name, where it goes, its type, required, multiple, allowed values, default. */
function paramSignature(param: SwaggerParameter) {
  return {
    name: param.name,
    paramType: param.paramType,
    dataType: param.dataType,
    required: param.required,
    allowMultiple: param.allowMultiple,
    allowableValues: param.allowableValues ?? null,
    defaultValue: param.defaultValue ?? null,
  };
}

// ---- checking JSON values against Asterisk's models ----

const ASTERISK_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/;

function checkValue(type: string, value: unknown, models: Map<string, SwaggerModel>, path: string): string[] {
  const listOf = /^List\[(.+)\]$/.exec(type)?.[1];
  if (listOf !== undefined) {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    return value.flatMap((item, i) => checkValue(listOf, item, models, `${path}[${i}]`));
  }
  const model = models.get(type);
  if (model) return checkObject(model.properties, value, models, path);
  const ok: Record<string, (v: unknown) => boolean> = {
    string: (v) => typeof v === 'string',
    int: Number.isInteger,
    long: Number.isInteger,
    double: (v) => typeof v === 'number',
    boolean: (v) => typeof v === 'boolean',
    Date: (v) => typeof v === 'string' && ASTERISK_DATE.test(v),
    object: isObject,
  };
  const check = ok[type];
  return check === undefined || check(value) ? [] : [`${path}: ${JSON.stringify(value)} is not a ${type}`];
}

function checkObject(
  properties: SwaggerModel['properties'],
  value: unknown,
  models: Map<string, SwaggerModel>,
  path: string,
): string[] {
  if (!isObject(value)) return [`${path}: expected an object`];
  const problems: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const field = value[name];
    if (field === undefined) {
      if (property.required) problems.push(`${path}.${name}: required by Asterisk, missing`);
      continue;
    }
    problems.push(...checkValue(property.type, field, models, `${path}.${name}`));
    const allowed = property.allowableValues;
    if (allowed?.valueType === 'LIST' && typeof field === 'string' && !allowed.values.includes(field)) {
      problems.push(`${path}.${name}: '${field}' not among ${allowed.values.join('|')}`);
    }
  }
  for (const name of Object.keys(value)) {
    if (!(name in properties)) problems.push(`${path}.${name}: sent by the fake, unknown to Asterisk's model`);
  }
  return problems;
}

function eventProperties(models: Map<string, SwaggerModel>, type: string): SwaggerModel['properties'] | undefined {
  const model = models.get(type);
  if (!model) return undefined;
  return { ...models.get('Message')?.properties, ...models.get('Event')?.properties, ...model.properties };
}

// ---- a scenario that makes the fake send every event and answer every JSON operation ----

interface Samples {
  events: AriEvent[];
  /** "<resource> <METHOD> <path template>" -> response JSON */
  responses: Map<string, unknown>;
}

async function runScenario(fake: FakeAri): Promise<Samples> {
  const app = 'contract';
  const responses = new Map<string, unknown>();
  async function call(key: string, path: string, method = 'GET'): Promise<unknown> {
    const res = await ariFetch(fake, `/ari${path}`, { method });
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${await res.text()}`);
    const body: unknown = res.status === 204 ? undefined : await res.json();
    if (body !== undefined) responses.set(key, body);
    return body;
  }
  const socket = await openEventSocket(fake, app);
  const isType = <T extends AriEventType>(e: AriEvent, type: T): e is Extract<AriEvent, { type: T }> => e.type === type;
  const waitFor = <T extends AriEventType>(type: T, match: (e: Extract<AriEvent, { type: T }>) => boolean = () => true) =>
    socket.next((e) => isType(e, type) && match(e));

  const id = fake.addChannel({ callerNumber: '+15551230001', callerName: 'Pat', exten: '+15559870000' });
  fake.startStasis(id, ['NOANSWER'], app);
  await waitFor(AriEventType.StasisStart);
  await call('asterisk GET /asterisk/info', '/asterisk/info');
  await call('asterisk POST /asterisk/variable', '/asterisk/variable?variable=MCR_OPEN_DEFAULT&value=1', 'POST');
  await call('asterisk GET /asterisk/variable', '/asterisk/variable?variable=MCR_OPEN_DEFAULT');
  await call('applications GET /applications', '/applications');
  await call('applications GET /applications/{applicationName}', `/applications/${app}`);
  await call('channels GET /channels', '/channels');
  await call('channels GET /channels/{channelId}', `/channels/${id}`);
  await call('channels POST /channels/{channelId}/answer', `/channels/${id}/answer`, 'POST');
  await call('channels POST /channels/{channelId}/variable', `/channels/${id}/variable?variable=MCR&value=1&report_events=true`, 'POST');
  await call('channels GET /channels/{channelId}/variable', `/channels/${id}/variable?variable=MCR`);

  const first = await call('channels POST /channels/{channelId}/play', `/channels/${id}/play?media=sound:a,sound:b`, 'POST');
  const firstId = isObject(first) ? String(first['id']) : '';
  await call('playbacks GET /playbacks/{playbackId}', `/playbacks/${firstId}`);
  await call('channels POST /channels/{channelId}/play/{playbackId}', `/channels/${id}/play/pb-2?media=sound:c`, 'POST');
  await waitFor(AriEventType.PlaybackFinished, (e) => e.playback.id === 'pb-2');

  const snoop = await call('channels POST /channels/{channelId}/snoop', `/channels/${id}/snoop?app=${app}&spy=in`, 'POST');
  const snoopId = isObject(snoop) ? String(snoop['id']) : '';
  await call('channels POST /channels/{channelId}/snoop/{snoopId}', `/channels/${id}/snoop/snoop-2?app=${app}&appArgs=x&whisper=out`, 'POST');
  await waitFor(AriEventType.StasisStart, (e) => e.channel.id === 'snoop-2');
  await call('channels POST /channels/{channelId}/record', `/channels/${snoopId}/record?name=c1&format=wav&maxSilenceSeconds=5`, 'POST');
  await waitFor(AriEventType.RecordingStarted);
  fake.sendDtmf(id, '1');
  await call('recordings POST /recordings/live/{recordingName}/stop', '/recordings/live/c1/stop', 'POST');
  await waitFor(AriEventType.RecordingFinished);
  await call('recordings GET /recordings/stored', '/recordings/stored');
  await call('recordings GET /recordings/stored/{recordingName}', '/recordings/stored/c1');

  fake.callerHangup(id);
  await waitFor(AriEventType.ChannelDestroyed, (e) => e.channel.id === 'snoop-2');
  const replacing = await openEventSocket(fake, app);
  await waitFor(AriEventType.ApplicationReplaced);
  await replacing.close();
  await socket.close();
  return { events: [...fake.events], responses };
}

describe.skipIf(!available)(`fake ARI description and traffic match Asterisk 22 (${REAL_DOCS})`, () => {
  let real: RealDocs;
  let fake: FakeAri;
  let samples: Samples;

  beforeAll(async () => {
    real = loadRealDocs();
    fake = await createFakeAri({ playbackMs: 50 });
    samples = await runScenario(fake);
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('each resource the fake serves is listed by Asterisk, with the same swaggerVersion and resourcePath', () => {
    expect(resourceListing.swaggerVersion).toBe(real.listing.swaggerVersion);
    const realPaths = real.listing.apis.map((api) => api.path);
    for (const name of FAKE_RESOURCE_NAMES) {
      expect(realPaths).toContain(`/api-docs/${name}.{format}`);
      const ours = apiDeclarations[name];
      const theirs = real.declarations.get(name);
      expect({ swaggerVersion: ours.swaggerVersion, resourcePath: ours.resourcePath }, name).toEqual({
        swaggerVersion: theirs?.swaggerVersion,
        resourcePath: theirs?.resourcePath,
      });
    }
  });

  for (const name of FAKE_RESOURCE_NAMES) {
    for (const api of apiDeclarations[name].apis) {
      for (const op of api.operations) {
        it(`${op.httpMethod} ${api.path} exists in Asterisk with the same nickname, response and parameters`, () => {
          const theirs = findRealOperation(real, name, api.path, op.httpMethod);
          expect(theirs, `${op.httpMethod} ${api.path} not in Asterisk's ${name}.json`).toBeDefined();
          // ari-client names its methods after the nickname and sends only the parameters described.
          expect(op.nickname).toBe(theirs?.nickname);
          expect(op.responseClass).toBe(theirs?.responseClass);
          expect(op.upgrade).toBe(theirs?.upgrade);
          expect((op.parameters ?? []).map(paramSignature)).toEqual((theirs?.parameters ?? []).map(paramSignature));
        });
      }
    }
  }

  it('each model the fake describes matches Asterisk: same property types and required flags, no required property left out', () => {
    const problems: string[] = [];
    for (const name of FAKE_RESOURCE_NAMES) {
      for (const [modelName, model] of Object.entries(apiDeclarations[name].models)) {
        const theirs = real.models.get(modelName);
        if (!theirs) {
          problems.push(`${modelName}: not an Asterisk model`);
          continue;
        }
        for (const [prop, def] of Object.entries(model.properties)) {
          const theirProp = theirs.properties[prop];
          if (!theirProp) problems.push(`${modelName}.${prop}: not in Asterisk's model`);
          else if (theirProp.type !== def.type || Boolean(theirProp.required) !== Boolean(def.required)) {
            problems.push(`${modelName}.${prop}: ${def.type}/${String(def.required)} vs Asterisk ${theirProp.type}/${String(theirProp.required)}`);
          }
        }
        for (const [prop, def] of Object.entries(theirs.properties)) {
          if (def.required && !(prop in model.properties)) problems.push(`${modelName}.${prop}: required in Asterisk, missing`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the scenario made the fake send every event type it can send', () => {
    const sent = new Set(samples.events.map((e) => e.type));
    expect(ALL_EVENT_TYPES.filter((type) => !sent.has(type))).toEqual([]);
  });

  for (const type of ALL_EVENT_TYPES) {
    it(`every ${type} sent has what Asterisk's ${type} model requires, and nothing it does not know`, () => {
      const properties = eventProperties(real.models, type);
      expect(properties, `${type} is not an event model in Asterisk's events.json`).toBeDefined();
      const sent = samples.events.filter((e) => e.type === type);
      expect(sent.length).toBeGreaterThan(0);
      const problems = sent.flatMap((event, i) => checkObject(properties ?? {}, event, real.models, `${type}#${i}`));
      expect(problems).toEqual([]);
    });
  }

  it('every JSON answer matches the response model Asterisk declares for that operation', () => {
    const problems: string[] = [];
    const unsampled: string[] = [];
    for (const name of FAKE_RESOURCE_NAMES) {
      for (const api of apiDeclarations[name].apis) {
        for (const op of api.operations) {
          const key = `${name} ${op.httpMethod} ${api.path}`;
          const body = samples.responses.get(key);
          const jsonResponse = op.responseClass !== 'void' && op.responseClass !== 'binary' && op.upgrade === undefined;
          if (body === undefined) {
            if (jsonResponse) unsampled.push(key);
            continue;
          }
          problems.push(...checkValue(findRealOperation(real, name, api.path, op.httpMethod)?.responseClass ?? '?', body, real.models, key));
        }
      }
    }
    expect(unsampled).toEqual([]);
    expect(problems).toEqual([]);
  });
});
