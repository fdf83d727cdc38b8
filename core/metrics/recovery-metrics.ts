import type { EntityManager } from '../db/database.js';
import { instantOf, isoDate, parseIsoDate } from '../hours/local-time.js';

export interface MetricsQuery {
  businessId: string;
  timeZone: string;
  /** Inclusive dates in the business's zone, `YYYY-MM-DD`. */
  from: string;
  to: string;
  did?: string | null;
  leadSource?: string | null;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

export interface DidFigures {
  did: string | null;
  lead_source: string | null;
  missed_calls: number;
  recovered: number;
  bookings: number;
}

/** The figures of GET /api/metrics (the contract in the README, "Metrics API"). */
export interface RecoveryMetrics {
  from: string;
  to: string;
  time_zone: string;
  missed_calls: { total: number; by_reason: Record<string, number>; by_hour: number[] };
  recovered: { total: number; by_week: { week_start: string; count: number }[] };
  time_to_first_text_ms: Percentiles;
  callback_response_ms: Percentiles;
  contact_rate: number | null;
  bookings: number;
  by_did: DidFigures[];
}

/** Contact made: the caller was reached (or booked) on a callback. */
const CONTACT_OUTCOMES = ['reached', 'booked'];

/**
 * Every figure of the recovery metrics for one business over a date range in
 * its zone. The range becomes two instants (local midnights, DST-correct), so
 * every query reads an index range (`(business_id, entered_at)`,
 * `(business_id, created_at)`) and only bucketing converts to local time.
 *
 * - missed calls: calls that reached the app or AMI, screened ones (spam) left out; by reason and local hour;
 * - a lead belongs to the range by its creation, and to the DID and campaign of its first call;
 * - recovered: leads that consented in the IVR and then engaged: replied by text, were reached or booked
 *   on a callback, or made a booking; by the local week (Monday) they came in;
 * - time to first text: the lead's first call to its first text the SMSC accepted (staff texts aside);
 * - callback response: a task's creation to its first attempt; contact rate: tasks reached or booked over tasks attempted;
 * - bookings: `booking.created` events in the range (so it works with any booking source).
 */
export async function computeRecoveryMetrics(em: EntityManager, query: MetricsQuery): Promise<RecoveryMetrics> {
  const fromDay = parseIsoDate(query.from);
  const toDay = parseIsoDate(query.to);
  if (fromDay === null || toDay === null || toDay < fromDay) throw new RangeError('from and to must be dates, from not after to');
  const start = new Date(instantOf(fromDay, 0, query.timeZone));
  const end = new Date(instantOf(toDay + 1, 0, query.timeZone));
  // Inside the caller's transaction when there is one (the embedded database has one connection).
  const raw = em.getConnection();
  const conn = { execute: <T>(sql: string, params: unknown[]) => raw.execute(sql, params, 'all', em.getTransactionContext()) as Promise<T> };
  const tz = query.timeZone;
  const did = query.did ?? null;
  const source = query.leadSource ?? null;

  const calls = await conn.execute<{ reason: string; hour: number; did: string | null; source: string | null; n: string }[]>(
    `select c.reason, extract(hour from c.entered_at at time zone ?)::int as hour, c.did, l.source, count(*) as n
       from call c left join lead l on l.id = c.lead_id
      where c.business_id = ? and c.entered_at >= ? and c.entered_at < ? and c.outcome <> 'screened'
        and (?::text is null or c.did = ?) and (?::text is null or l.source = ?)
      group by 1, 2, 3, 4`,
    [tz, query.businessId, start, end, did, did, source, source],
  );

  // The leads of the range with their first call's DID, as one reusable piece of SQL.
  const leadsInRange = `
    select l.id, l.source, fc.did, fc.entered_at as first_call_at,
           (date_trunc('week', l.created_at at time zone ?))::date as week_start
      from lead l
      left join lateral (select c.did, c.entered_at from call c where c.lead_id = l.id order by c.entered_at limit 1) fc on true
     where l.business_id = ? and l.created_at >= ? and l.created_at < ?
       and (?::text is null or fc.did = ?) and (?::text is null or l.source = ?)`;
  const leadParams = [tz, query.businessId, start, end, did, did, source, source];

  const recovered = await conn.execute<{ week_start: Date | string; did: string | null; source: string | null; n: string }[]>(
    `with r as (${leadsInRange})
     select r.week_start, r.did, r.source, count(*) as n from r
      where exists (select 1 from call c where c.lead_id = r.id and c.outcome = 'consented')
        and (exists (select 1 from conversation_message m where m.lead_id = r.id and m.direction = 'in')
             or exists (select 1 from callback_task t where t.lead_id = r.id and t.outcome in ('reached', 'booked'))
             or exists (select 1 from integration_event e where e.lead_id = r.id and e.type = 'booking.created'))
      group by 1, 2, 3 order by 1`,
    leadParams,
  );

  const [firstText] = await conn.execute<{ p50: number | null; p95: number | null }[]>(
    `with r as (${leadsInRange})
     select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.95) within group (order by ms) as p95
       from (select extract(epoch from (o.first_at - r.first_call_at)) * 1000 as ms
               from r cross join lateral (
                 select min(o.submitted_at) as first_at from outbox_message o
                  where o.lead_id = r.id and o.kind <> 'staff' and o.submitted_at is not null) o
              where o.first_at is not null and r.first_call_at is not null) x`,
    leadParams,
  );

  const [callbacks] = await conn.execute<{ p50: number | null; p95: number | null; attempted: string; contacted: string }[]>(
    `select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.95) within group (order by ms) as p95,
            count(*) filter (where attempted) as attempted, count(*) filter (where contacted) as contacted
       from (select extract(epoch from (t.first_attempt_at - t.created_at)) * 1000 as ms,
                    (t.first_attempt_at is not null or t.attempts > 0) as attempted,
                    (t.outcome in (${CONTACT_OUTCOMES.map(() => '?').join(', ')})) as contacted
               from callback_task t
               left join lateral (select c.did from call c where c.lead_id = t.lead_id order by c.entered_at limit 1) fc on true
               left join lead l on l.id = t.lead_id
              where t.business_id = ? and t.created_at >= ? and t.created_at < ?
                and (?::text is null or fc.did = ?) and (?::text is null or l.source = ?)) x`,
    [...CONTACT_OUTCOMES, query.businessId, start, end, did, did, source, source],
  );

  const bookings = await conn.execute<{ did: string | null; source: string | null; n: string }[]>(
    `select fc.did, l.source, count(*) as n
       from integration_event e
       left join lead l on l.id = e.lead_id
       left join lateral (select c.did from call c where c.lead_id = e.lead_id order by c.entered_at limit 1) fc on true
      where e.business_id = ? and e.type = 'booking.created' and e.created_at >= ? and e.created_at < ?
        and (?::text is null or fc.did = ?) and (?::text is null or l.source = ?)
      group by 1, 2`,
    [query.businessId, start, end, did, did, source, source],
  );

  const byReason: Record<string, number> = {};
  const byHour = Array.from({ length: 24 }, () => 0);
  const byDid = new Map<string, DidFigures>();
  const didRow = (d: string | null, s: string | null) => {
    const key = JSON.stringify([d, s]);
    let row = byDid.get(key);
    if (!row) {
      row = { did: d, lead_source: s, missed_calls: 0, recovered: 0, bookings: 0 };
      byDid.set(key, row);
    }
    return row;
  };
  let missedTotal = 0;
  for (const row of calls) {
    const n = Number(row.n);
    missedTotal += n;
    byReason[row.reason] = (byReason[row.reason] ?? 0) + n;
    byHour[row.hour] = (byHour[row.hour] ?? 0) + n;
    didRow(row.did, row.source).missed_calls += n;
  }
  const weeks = new Map<string, number>();
  let recoveredTotal = 0;
  for (const row of recovered) {
    const n = Number(row.n);
    recoveredTotal += n;
    const week = dateText(row.week_start);
    weeks.set(week, (weeks.get(week) ?? 0) + n);
    didRow(row.did, row.source).recovered += n;
  }
  let bookingTotal = 0;
  for (const row of bookings) {
    const n = Number(row.n);
    bookingTotal += n;
    didRow(row.did, row.source).bookings += n;
  }
  const attempted = Number(callbacks?.attempted ?? 0);
  return {
    from: isoDate(fromDay),
    to: isoDate(toDay),
    time_zone: tz,
    missed_calls: { total: missedTotal, by_reason: byReason, by_hour: byHour },
    recovered: { total: recoveredTotal, by_week: [...weeks.entries()].sort().map(([week_start, count]) => ({ week_start, count })) },
    time_to_first_text_ms: percentiles(firstText),
    callback_response_ms: percentiles(callbacks),
    contact_rate: attempted > 0 ? Number(callbacks?.contacted ?? 0) / attempted : null,
    bookings: bookingTotal,
    by_did: [...byDid.values()].sort((a, b) => b.missed_calls - a.missed_calls || String(a.did).localeCompare(String(b.did))),
  };
}

function percentiles(row: { p50: number | string | null; p95: number | string | null } | undefined): Percentiles {
  const read = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v)));
  return { p50: read(row?.p50), p95: read(row?.p95) };
}

/** A `date` column as `YYYY-MM-DD` (pg gives a Date at local midnight of the server process, PGlite may too). */
function dateText(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/** One CSV line per DID / campaign and a total line; fields that a spreadsheet would run as a formula are defused. */
export function metricsCsv(metrics: RecoveryMetrics): string {
  const lines = [['did', 'lead_source', 'missed_calls', 'recovered', 'bookings']];
  for (const row of metrics.by_did) {
    lines.push([row.did ?? '', row.lead_source ?? '', String(row.missed_calls), String(row.recovered), String(row.bookings)]);
  }
  lines.push(['total', '', String(metrics.missed_calls.total), String(metrics.recovered.total), String(metrics.bookings)]);
  return `${lines.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function csvField(value: string): string {
  // A leading = + - @ (or tab / CR) makes spreadsheets evaluate the cell (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
