import { randomUUID } from 'node:crypto';
import type { Database, EntityManager } from '../db/database.js';
import { Business, StaffMember } from '../entities/index.js';
import { instantOf, isoDate, localDayAndMinute, parseIsoDate, weekdayIndex } from '../hours/local-time.js';
import { computeRecoveryMetrics, csvField, type RecoveryMetrics } from '../metrics/recovery-metrics.js';
import { oneLine, renderStaffTemplate } from '../notifications/email-templates.js';

/** When the weekly report goes: Monday 08:00 in the business's zone, for the week (Monday to Sunday) before. */
const REPORT_WEEKDAY = 0;
const REPORT_MINUTE = 8 * 60;
/** Later than this after its time (the app was down), the week's report waits for someone to ask for it. */
const REPORT_GRACE_MS = 12 * 3_600_000;

export interface WeeklyReport {
  businessId: string;
  weekStart: string;
  weekEnd: string;
  current: RecoveryMetrics;
  previous: RecoveryMetrics;
}

export interface RenderedReport {
  subject: string;
  text: string;
  html: string;
  csv: string;
}

/** The Monday that starts the week holding `date`. */
export function mondayOf(date: string): string {
  const day = parseIsoDate(date);
  if (day === null) throw new RangeError('not a date');
  return isoDate(day - weekdayIndex(day));
}

/** The figures of one week and of the week before, in the business's zone. */
export async function buildWeeklyReport(em: EntityManager, business: Business, weekStart: string): Promise<WeeklyReport> {
  const start = parseIsoDate(mondayOf(weekStart))!;
  const query = { businessId: business.id, timeZone: business.timeZone };
  const current = await computeRecoveryMetrics(em, { ...query, from: isoDate(start), to: isoDate(start + 6) });
  const previous = await computeRecoveryMetrics(em, { ...query, from: isoDate(start - 7), to: isoDate(start - 1) });
  return { businessId: business.id, weekStart: isoDate(start), weekEnd: isoDate(start + 6), current, previous };
}

const ms = (v: number | null) => (v === null ? '–' : v < 60_000 ? `${Math.round(v / 1000)} s` : `${Math.round(v / 60_000)} min`);
const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)} %`);

function change(current: number | null, previous: number | null, lowerIsBetter = false): string {
  if (current === null || previous === null) return '';
  if (previous === 0) return current === 0 ? 'no change' : 'new';
  const delta = Math.round(((current - previous) / previous) * 100);
  if (delta === 0) return 'no change';
  const better = lowerIsBetter ? delta < 0 : delta > 0;
  return `${delta > 0 ? '+' : ''}${delta} % ${better ? '▲ better' : '▼ worse'}`;
}

/** The e-mail (HTML with an inline SVG chart, plain text) and the CSV attachment. */
export function renderWeeklyReport(business: Business, report: WeeklyReport): RenderedReport {
  const { current: c, previous: p } = report;
  const rows = [
    { label: 'Missed calls', current: String(c.missed_calls.total), previous: String(p.missed_calls.total), change: change(c.missed_calls.total, p.missed_calls.total, true) },
    { label: 'Callers recovered', current: String(c.recovered.total), previous: String(p.recovered.total), change: change(c.recovered.total, p.recovered.total) },
    { label: 'Time to first text (median)', current: ms(c.time_to_first_text_ms.p50), previous: ms(p.time_to_first_text_ms.p50), change: change(c.time_to_first_text_ms.p50, p.time_to_first_text_ms.p50, true) },
    { label: 'Callback response (median)', current: ms(c.callback_response_ms.p50), previous: ms(p.callback_response_ms.p50), change: change(c.callback_response_ms.p50, p.callback_response_ms.p50, true) },
    { label: 'Callback response (95th percentile)', current: ms(c.callback_response_ms.p95), previous: ms(p.callback_response_ms.p95), change: '' },
    { label: 'Contact rate', current: pct(c.contact_rate), previous: pct(p.contact_rate), change: change(c.contact_rate, p.contact_rate) },
    { label: 'Bookings', current: String(c.bookings), previous: String(p.bookings), change: change(c.bookings, p.bookings) },
  ];
  const view = {
    business: oneLine(business.name, 80),
    weekStart: report.weekStart,
    weekEnd: report.weekEnd,
    timeZone: business.timeZone,
    rows,
    reasons: Object.entries(c.missed_calls.by_reason)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => ({ reason, count })),
    dids: c.by_did.map((row) => ({
      did: oneLine(row.did ?? 'unknown', 40),
      source: oneLine(row.lead_source, 60),
      missed: row.missed_calls,
      recovered: row.recovered,
      bookings: row.bookings,
    })),
    chart: hourChart(c.missed_calls.by_hour, p.missed_calls.by_hour),
  };
  return {
    subject: oneLine(renderStaffTemplate('reportSubject', view), 200),
    text: renderStaffTemplate('reportText', view),
    html: renderStaffTemplate('reportHtml', view),
    csv: reportCsv(report),
  };
}

/** Bars for the SVG chart, as numbers only (the template draws them; nothing here is caller text). */
function hourChart(current: number[], previous: number[]) {
  const width = 600;
  const height = 160;
  const top = 20;
  const bottom = 16;
  const slot = width / 24;
  const max = Math.max(1, ...current, ...previous);
  const scale = (n: number) => Math.round(((height - top - bottom) * n) / max);
  const bars: { x: number; y: number; width: number; height: number; fill: string; title: string }[] = [];
  for (let hour = 0; hour < 24; hour += 1) {
    const x = Math.round(hour * slot);
    const w = Math.floor(slot / 2) - 1;
    const hPrev = scale(previous[hour] ?? 0);
    const hCur = scale(current[hour] ?? 0);
    bars.push({ x: x + 1, y: height - bottom - hPrev, width: w, height: hPrev, fill: '#aaa', title: `${hour}:00 week before: ${previous[hour] ?? 0}` });
    bars.push({ x: x + 1 + w, y: height - bottom - hCur, width: w, height: hCur, fill: '#1f6feb', title: `${hour}:00 this week: ${current[hour] ?? 0}` });
  }
  const labels = [0, 3, 6, 9, 12, 15, 18, 21].map((hour) => ({ x: Math.round(hour * slot + slot / 2), y: height - 3, text: `${hour}h` }));
  return { width, height, bars, labels };
}

export function reportCsv(report: WeeklyReport): string {
  const { current: c, previous: p } = report;
  const lines: string[][] = [
    ['figure', 'this_week', 'week_before'],
    ['week_start', report.weekStart, isoDate(parseIsoDate(report.weekStart)! - 7)],
    ['missed_calls', String(c.missed_calls.total), String(p.missed_calls.total)],
    ['recovered', String(c.recovered.total), String(p.recovered.total)],
    ['time_to_first_text_ms_p50', String(c.time_to_first_text_ms.p50 ?? ''), String(p.time_to_first_text_ms.p50 ?? '')],
    ['time_to_first_text_ms_p95', String(c.time_to_first_text_ms.p95 ?? ''), String(p.time_to_first_text_ms.p95 ?? '')],
    ['callback_response_ms_p50', String(c.callback_response_ms.p50 ?? ''), String(p.callback_response_ms.p50 ?? '')],
    ['callback_response_ms_p95', String(c.callback_response_ms.p95 ?? ''), String(p.callback_response_ms.p95 ?? '')],
    ['contact_rate', c.contact_rate === null ? '' : c.contact_rate.toFixed(4), p.contact_rate === null ? '' : p.contact_rate.toFixed(4)],
    ['bookings', String(c.bookings), String(p.bookings)],
  ];
  for (const [reason, count] of Object.entries(c.missed_calls.by_reason)) lines.push([`missed_calls_${reason}`, String(count), String(p.missed_calls.by_reason[reason] ?? 0)]);
  c.missed_calls.by_hour.forEach((n, hour) => lines.push([`missed_calls_hour_${String(hour).padStart(2, '0')}`, String(n), String(p.missed_calls.by_hour[hour] ?? 0)]));
  lines.push([], ['did', 'lead_source', 'missed_calls', 'recovered', 'bookings']);
  for (const row of c.by_did) lines.push([row.did ?? '', row.lead_source ?? '', String(row.missed_calls), String(row.recovered), String(row.bookings)]);
  return `${lines.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** Who gets a business's weekly report: its managers, else its admins; those with an e-mail. */
export async function reportRecipients(em: EntityManager, businessId: string): Promise<StaffMember[]> {
  const staff = await em.find(StaffMember, { businessId, disabledAt: null, email: { $ne: null } }, { orderBy: { name: 'asc' } });
  const managers = staff.filter((member) => member.manager);
  return managers.length > 0 ? managers : staff.filter((member) => member.role === 'admin');
}

/** Queues the report e-mail to each recipient (keyed, so the same key never sends twice). */
export async function queueReportEmails(em: EntityManager, business: Business, report: WeeklyReport, keySuffix: string, now: Date): Promise<number> {
  const rendered = renderWeeklyReport(business, report);
  const attachments = JSON.stringify([{ filename: `recovery-report-${report.weekStart}.csv`, contentType: 'text/csv', content: rendered.csv }]);
  let queued = 0;
  for (const member of await reportRecipients(em, business.id)) {
    const inserted = await em.getConnection().execute<{ id: string }[]>(
      `insert into notification (id, business_id, staff_member_id, kind, trigger, channel, dedupe_key, to_address, subject,
                                 body_text, body_html, attachments, status, attempts, next_attempt_at, created_at)
       values (?, ?, ?, 'report', 'weekly_report', 'email', ?, ?, ?, ?, ?, ?::jsonb, 'queued', 0, ?, ?)
       on conflict (dedupe_key) do nothing returning id`,
      [randomUUID(), business.id, member.id, `report:${business.id}:${report.weekStart}:${member.id}${keySuffix}`, member.email, rendered.subject, rendered.text, rendered.html, attachments, now, now],
      'all',
      em.getTransactionContext(),
    );
    queued += inserted.length;
  }
  return queued;
}

/**
 * Sends each business its report for last week on Monday from 08:00 in its
 * zone: the first instance to insert the week's `weekly_report` row (primary
 * key business + week) computes it and queues the e-mails; every other
 * instance finds the row and does nothing.
 */
export async function queueDueWeeklyReports(db: Database, now: Date): Promise<number> {
  let queued = 0;
  for (const business of await db.fork().find(Business, {})) {
    const { day, minute } = localDayAndMinute(now.getTime(), business.timeZone);
    if (weekdayIndex(day) !== REPORT_WEEKDAY || minute < REPORT_MINUTE) continue;
    if (now.getTime() - instantOf(day, REPORT_MINUTE, business.timeZone) > REPORT_GRACE_MS) continue;
    const weekStart = isoDate(day - 7);
    queued += await db.fork().transactional(async (tx) => {
      const inserted = await tx.getConnection().execute<{ week_start: unknown }[]>(
        `insert into weekly_report (business_id, week_start, figures, created_at) values (?, ?::date, '{}'::jsonb, ?)
         on conflict do nothing returning week_start`,
        [business.id, weekStart, now],
        'all',
        tx.getTransactionContext(),
      );
      if (inserted.length === 0) return 0;
      const report = await buildWeeklyReport(tx, business, weekStart);
      await tx.getConnection().execute(
        `update weekly_report set figures = ?::jsonb where business_id = ? and week_start = ?::date`,
        [JSON.stringify({ current: report.current, previous: report.previous }), business.id, weekStart],
        'run',
        tx.getTransactionContext(),
      );
      return queueReportEmails(tx, business, report, '', now);
    });
  }
  return queued;
}
