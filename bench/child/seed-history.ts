import { performance } from 'node:perf_hooks';
import type { Database } from '../../core/db/database.js';
import type { SeedHistoryArgs } from '../protocol.js';

/**
 * History for the callbacks benchmark, written straight into the tables with
 * set-based SQL (never through the app). Call i (1 = newest, one every
 * `stepSeconds` back in time) has its own lead; calls 1..openTasks each have an
 * open callback task (one in ten claimed), and 3 in 10 of the older calls have
 * a task that is done. Ids are md5-derived from i, so calls, leads and tasks
 * refer to each other without joins, and a second round (older calls) extends
 * the first one.
 */
export async function seedHistory(
  db: Database,
  args: SeedHistoryArgs,
): Promise<{ ms: number; rows: { lead: number; call: number; callback_task: number } }> {
  const started = performance.now();
  const businessId = await defaultBusinessId(db);
  const rows = { lead: 0, call: 0, callback_task: 0 };
  for (let from = args.from; from <= args.to; from += args.chunk) {
    const to = Math.min(args.to, from + args.chunk - 1);
    const params = { businessId, from, to, open: args.openTasks, step: args.stepSeconds };
    rows.lead += await run(db, LEADS, params);
    rows.call += await run(db, CALLS, params);
    rows.callback_task += await run(db, TASKS, params);
  }
  return { ms: Math.round(performance.now() - started), rows };
}

/**
 * Leaves the tables as a long-running database would have them, not as a bulk
 * load just did: VACUUM ANALYZE (statistics, visibility map; PGlite has no
 * autovacuum to do it) and a CHECKPOINT, so that flushing the load's dirty pages
 * does not land in the middle of the latency measurement. A CHECKPOINT the role
 * may not run is skipped.
 */
export async function settleHistory(db: Database): Promise<{ ms: number }> {
  const started = performance.now();
  const connection = db.fork().getConnection();
  for (const table of ['lead', 'call', 'callback_task']) await connection.execute(`vacuum analyze ${table}`, [], 'run');
  await connection.execute('checkpoint', [], 'run').catch(() => undefined);
  return { ms: Math.round(performance.now() - started) };
}

export async function defaultBusinessId(db: Database): Promise<string> {
  const found = await db.fork().getConnection().execute<{ id: string }[]>('select id from business where is_default', [], 'all');
  if (!found[0]) throw new Error('no default business: the app has not started');
  return found[0].id;
}

interface Params {
  businessId: string;
  from: number;
  to: number;
  open: number;
  step: number;
}

async function run(db: Database, sql: string, p: Params): Promise<number> {
  // Named placeholders (:biz, :open, ...) become positional ones, values in order of appearance.
  const values: unknown[] = [];
  const named: Record<string, unknown> = { biz: p.businessId, open: p.open, step: p.step, from: p.from, to: p.to };
  const bound = sql.replace(/:(biz|open|step|from|to)\b/g, (_m, name: string) => {
    values.push(named[name]);
    return '?';
  });
  const result = await db.fork().getConnection().execute<{ affectedRows: number }>(bound, values, 'run');
  return result.affectedRows;
}

const SERIES = `from generate_series(:from::int, :to::int) as i,
  lateral (select now() - make_interval(secs => i * :step::float8) as t,
                  '+1212' || lpad((i % 10000000)::text, 7, '0') as phone) v`;

const LEADS = `
insert into lead (id, business_id, phone_e164, caller_raw, source, status, created_at, updated_at)
select md5('mcr-bench-lead-' || i)::uuid, :biz::uuid, v.phone, v.phone, null,
       case when i <= :open::int then 'callback' when i % 10 < 3 then 'closed' when i % 10 < 7 then 'texting' else 'closed' end,
       v.t, v.t + interval '1 hour'
${SERIES}`;

const CALLS = `
insert into call (id, business_id, lead_id, channel_id, uniqueid, linkedid, caller_raw, caller_name, caller_e164, did,
                  reason, outcome, dtmf, entered_at, answered_at, ended_at)
select md5('mcr-bench-call-' || i)::uuid, :biz::uuid, md5('mcr-bench-lead-' || i)::uuid,
       'bench-hist-' || i, 'bench-hist-' || i, 'bench-hist-' || i, v.phone, null, v.phone, '+14155559999',
       (array['NOANSWER', 'BUSY', 'CHANUNAVAIL', 'AFTERHOURS'])[1 + i % 4],
       case when i <= :open::int then (array['callback_requested', 'no_response', 'hung_up', 'declined'])[1 + i % 4]
            when i % 10 < 3 then 'callback_requested' when i % 10 < 7 then 'consented' else 'hung_up' end,
       case when i % 10 < 3 then '2' when i % 10 < 7 then '1' else null end,
       v.t, v.t + interval '2 seconds', v.t + interval '40 seconds'
${SERIES}`;

const TASKS = `
insert into callback_task (id, business_id, lead_id, call_id, phone_e164, caller_raw, reason, status, priority, attempts,
                           due_at, created_at, closed_at)
select md5('mcr-bench-task-' || i)::uuid, :biz::uuid, md5('mcr-bench-lead-' || i)::uuid, md5('mcr-bench-call-' || i)::uuid,
       v.phone, v.phone, (array['callback_requested', 'no_response', 'hung_up_in_ivr', 'declined_texts'])[1 + i % 4],
       case when i <= :open::int then (case when i % 10 = 0 then 'claimed' else 'open' end) else 'done' end,
       0, case when i <= :open::int then 0 else 1 end,
       v.t + interval '15 minutes', v.t, case when i <= :open::int then null else v.t + interval '2 hours' end
${SERIES}
where i <= :open::int or i % 10 < 3`;
