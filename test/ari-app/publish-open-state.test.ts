import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AriGlobalVariables, type GlobalVariables } from '../../ari-app/hours/global-variables.js';
import { OpenStatePublisher, type StartTimer } from '../../ari-app/hours/publish-open-state.js';
import { ensureDefaultBusiness, mapDid } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { Business, BusinessDid } from '../../core/entities/index.js';
import { addHoliday, deleteHoliday, replaceWeeklySchedule } from '../../core/hours/hours-store.js';
import type { WeeklySchedule } from '../../core/hours/schedule-types.js';
import { createLogger } from '../../core/logging.js';
import { createFakeAri, type FakeAri } from '../fakes/ari/index.js';
import { until } from '../support/stack.js';
import { createTestDatabase, describeDatabase } from '../support/test-database.js';

const logger = createLogger('silent');
const nineToFive: WeeklySchedule = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open: '09:00', close: '17:00' }));
const evenings: WeeklySchedule = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open: '18:00', close: '23:00' }));

/** A timer the test fires by hand, remembering how long the publisher wanted to wait. */
function manualTimer(): { start: StartTimer; waits: number[]; fire(): void; pending(): boolean } {
  let next: (() => void) | null = null;
  const waits: number[] = [];
  return {
    waits,
    start: (fire, ms) => {
      next = fire;
      waits.push(ms);
      return () => {
        if (next === fire) next = null;
      };
    },
    fire: () => {
      const fire = next;
      next = null;
      fire?.();
    },
    pending: () => next !== null,
  };
}

async function addBusiness(db: Database, name: string, timeZone: string, schedule: WeeklySchedule, dids: string[]): Promise<string> {
  const em = db.fork();
  const business = Object.assign(new Business(), { id: randomUUID(), name, timeZone, createdAt: new Date() });
  await em.persistAndFlush(business);
  await replaceWeeklySchedule(em, business.id, schedule);
  for (const did of dids) await mapDid(em, did, business.id);
  return business.id;
}

describe(`the open-state publisher against the fake Asterisk (${describeDatabase()})`, () => {
  let db: Database;
  let fake: FakeAri;
  let globals: GlobalVariables;
  let dayShop: string;
  const running: OpenStatePublisher[] = [];
  const publisher = (options: Partial<ConstructorParameters<typeof OpenStatePublisher>[0]>): OpenStatePublisher => {
    const made = new OpenStatePublisher({ db, globals, logger, ...options });
    running.push(made);
    return made;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await createFakeAri({ username: 'mcr', password: 'ari-secret' });
    globals = new AriGlobalVariables({ url: fake.url, username: 'mcr', password: 'ari-secret' });
    const defaultBusiness = await ensureDefaultBusiness(db.fork(), 'Acme Plumbing');
    await replaceWeeklySchedule(db.fork(), defaultBusiness.id, nineToFive);
    dayShop = await addBusiness(db, 'Day Shop', 'America/New_York', nineToFive, ['+12125550100', '12125550177']);
    await addBusiness(db, 'Night Owl', 'Europe/London', evenings, ['+442079460000']);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });
  afterAll(async () => {
    await fake?.close();
    await db?.close();
  });

  it('when it starts, then every mapped number and the default business get MCR_OPEN_<digits> = 1 or 0', async () => {
    // Wednesday 2026-06-10 15:00Z: 11:00 in New York (open), 16:00 in London (before the 18:00 opening).
    const timer = manualTimer();
    const p = publisher({ now: () => new Date('2026-06-10T15:00:00Z'), startTimer: timer.start });
    await p.publishNow('test');
    expect(Object.fromEntries(fake.globals)).toEqual({
      MCR_OPEN_DEFAULT: '1',
      MCR_OPEN_12125550100: '1',
      MCR_OPEN_12125550177: '1',
      MCR_OPEN_442079460000: '0',
    });
    // Next flip: London opens at 18:00 BST = 17:00Z, two hours on; the wait is capped at the refresh interval.
    expect(p.nextChangeAt).toEqual(new Date('2026-06-10T17:00:00Z'));
    expect(timer.waits.at(-1)).toBe(5 * 60_000);
  });

  it('when the scheduled change comes (injected clock and timer), then the value flips at that instant', async () => {
    let now = new Date('2026-06-10T20:00:00Z'); // 16:00 in New York, 21:00 in London
    const timer = manualTimer();
    const p = publisher({ now: () => now, startTimer: timer.start, refreshMs: 24 * 3_600_000 });
    await p.publishNow('test');
    expect(fake.globals.get('MCR_OPEN_12125550100')).toBe('1');
    expect(p.nextChangeAt).toEqual(new Date('2026-06-10T21:00:00Z'));
    expect(timer.waits.at(-1)).toBe(3_600_000);

    now = new Date('2026-06-10T21:00:00Z');
    timer.fire();
    await until(() => fake.globals.get('MCR_OPEN_12125550100') === '0', 5_000, 'the 17:00 closing to be published');
    expect(fake.globals.get('MCR_OPEN_DEFAULT')).toBe('0');
    expect(fake.globals.get('MCR_OPEN_442079460000')).toBe('1');
    // And the next one is London's 23:00 closing (22:00Z).
    await until(() => p.nextChangeAt?.toISOString() === '2026-06-10T22:00:00.000Z', 5_000, 'the next change');
  });

  it('when the clock runs for real and the change is a moment away, then the real timer flips it', async () => {
    // A clock that starts 400 ms before 17:00 in New York and then runs at real speed.
    const start = Date.now();
    const base = Date.parse('2026-06-10T20:59:59.600Z');
    const p = publisher({ now: () => new Date(base + (Date.now() - start)) });
    await p.publishNow('test');
    expect(fake.globals.get('MCR_OPEN_12125550100')).toBe('1');
    await until(() => fake.globals.get('MCR_OPEN_12125550100') === '0', 5_000, 'the closing at 17:00 to be published');
  });

  it('when Asterisk restarts and forgets its globals, then publishing again (as after the reconnect) restores them', async () => {
    const timer = manualTimer();
    const p = publisher({ now: () => new Date('2026-06-10T15:00:00Z'), startTimer: timer.start });
    await p.publishNow('test');
    fake.restart();
    expect(fake.globals.size).toBe(0);
    await p.publishNow('ARI connected');
    expect(fake.globals.get('MCR_OPEN_12125550100')).toBe('1');
    expect(fake.globals.get('MCR_OPEN_DEFAULT')).toBe('1');
  });

  it('when a holiday closes the day, then its numbers are told 0 while the others stay open', async () => {
    const timer = manualTimer();
    const holiday = await addHoliday(db.fork(), dayShop, { date: '2026-06-11', name: 'Stocktaking', ranges: [] });
    const p = publisher({ now: () => new Date('2026-06-11T15:00:00Z'), startTimer: timer.start });
    await p.publishNow('test');
    expect(fake.globals.get('MCR_OPEN_12125550100')).toBe('0');
    expect(fake.globals.get('MCR_OPEN_DEFAULT')).toBe('1');
    // London's 18:00 opening (17:00Z) comes before anything in New York.
    expect(p.nextChangeAt?.toISOString()).toBe('2026-06-11T17:00:00.000Z');
    await deleteHoliday(db.fork(), dayShop, holiday.id);
  });

  it('when a number is no longer mapped, then its global is removed and the dialplan falls back to the default', async () => {
    const timer = manualTimer();
    const p = publisher({ now: () => new Date('2026-06-10T15:00:00Z'), startTimer: timer.start });
    await p.publishNow('test');
    expect(fake.globals.has('MCR_OPEN_12125550177')).toBe(true);
    await db.fork().nativeDelete(BusinessDid, { did: '12125550177' });
    await p.publishNow('hours changed');
    expect(fake.globals.has('MCR_OPEN_12125550177')).toBe(false);
    expect(p.published.has('MCR_OPEN_12125550177')).toBe(false);
    await mapDid(db.fork(), '12125550177', dayShop);
  });
});

describe('the open-state publisher when things fail', () => {
  let db: Database;

  beforeAll(async () => {
    db = await createTestDatabase();
    await ensureDefaultBusiness(db.fork(), 'Acme Plumbing');
  });
  afterAll(async () => db?.close());

  it('when Asterisk refuses, then it tries again after retryMs and succeeds once Asterisk answers', async () => {
    const told: string[] = [];
    let refuse = true;
    const flaky: GlobalVariables = {
      set: async (name, value) => {
        if (refuse) throw new Error('ARI answered 503');
        told.push(`${name}=${String(value)}`);
      },
    };
    const timer = manualTimer();
    const p = new OpenStatePublisher({ db, globals: flaky, logger, startTimer: timer.start, retryMs: 1234 });
    await p.publishNow('test');
    expect(timer.waits.at(-1)).toBe(1234);
    expect(p.published.size).toBe(0);
    refuse = false;
    timer.fire();
    await until(() => told.length > 0, 5_000, 'the retry');
    expect(told).toEqual(['MCR_OPEN_DEFAULT=1']);
    await p.stop();
    expect(timer.pending()).toBe(false);
  });

  it('when several triggers arrive during a publish, then they coalesce into one more round, not one each', async () => {
    let calls = 0;
    const slow: GlobalVariables = {
      set: async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    };
    const p = new OpenStatePublisher({ db, globals: slow, logger, startTimer: manualTimer().start });
    const first = p.publishNow('a');
    const rest = [p.publishNow('b'), p.publishNow('c'), p.publishNow('d')];
    await Promise.all([first, ...rest]);
    expect(calls).toBe(2);
    await p.stop();
  });
});
