import { performance } from 'node:perf_hooks';
import type { Database } from '../../core/db/database.js';
import type { QueueTextsArgs } from '../protocol.js';

/** What a first text usually says: one GSM-7 segment. */
export const BENCH_TEXT_BODY =
  'Acme Plumbing: sorry we missed your call. Reply here with what you need and we will get back to you. Reply STOP to opt out.';

/** Recipients of the queued texts: UK mobiles (+447400 000000 ...), distinct from the callers. */
export function textRecipient(index: number): string {
  return `+447400${String(index).padStart(6, '0')}`;
}

/**
 * Queues `count` first texts (kind acknowledgement, each to its own number and
 * lead) in ONE statement, as many missed calls would have, then the caller
 * wakes the outbox. They belong to a business in `acknowledge_once` consent
 * mode, so the compliance gate lets them through with no consent record to
 * forge, after running every one of its checks.
 */
export async function queueTexts(db: Database, args: QueueTextsArgs): Promise<{ committedAt: number; insertMs: number }> {
  const businessId = await gatewayBusinessId(db);
  const started = performance.now();
  await db
    .fork()
    .getConnection()
    .execute(
      `with leads as (
         insert into lead (id, business_id, phone_e164, caller_raw, source, status, created_at, updated_at)
         select gen_random_uuid(), ?::uuid, '+447400' || lpad(g::text, 6, '0'), '+447400' || lpad(g::text, 6, '0'),
                'bench', 'texting', now(), now()
           from generate_series(?::int, ?::int) as g
         returning id, phone_e164)
       insert into outbox_message (id, business_id, lead_id, to_e164, from_addr, kind, body, status, attempts, not_before, created_at)
       select gen_random_uuid(), ?::uuid, leads.id, leads.phone_e164, '+14155559999', 'acknowledgement', ?, 'queued', 0, now(), now()
         from leads`,
      [businessId, args.first, args.first + args.count - 1, businessId, BENCH_TEXT_BODY],
      'run',
    );
  const now = performance.now();
  return { committedAt: performance.timeOrigin + now, insertMs: Math.round(now - started) };
}

async function gatewayBusinessId(db: Database): Promise<string> {
  const connection = db.fork().getConnection();
  const found = await connection.execute<{ id: string }[]>(`select id from business where name = 'Bench Gateway'`, [], 'all');
  if (found[0]) return found[0].id;
  const created = await connection.execute<{ id: string }[]>(
    `insert into business (id, name, time_zone, consent_mode, is_default, created_at)
     values (gen_random_uuid(), 'Bench Gateway', 'Europe/London', 'acknowledge_once', false, now()) returning id`,
    [],
    'all',
  );
  return created[0]!.id;
}

export async function outboxCounts(db: Database): Promise<Record<string, number>> {
  const rows = await db
    .fork()
    .getConnection()
    .execute<{ status: string; n: string }[]>('select status, count(*) as n from outbox_message group by status', [], 'all');
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function cancelQueuedTexts(db: Database): Promise<{ cancelled: number }> {
  const result = await db
    .fork()
    .getConnection()
    .execute<{ affectedRows: number }>(
      `delete from outbox_message where status = 'queued' and business_id = (select id from business where name = 'Bench Gateway')`,
      [],
      'run',
    );
  return { cancelled: result.affectedRows };
}
