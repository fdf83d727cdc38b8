import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Business } from '../../core/entities/index.js';
import { isoDate, localDayAndMinute, parseIsoDate } from '../../core/hours/local-time.js';
import { computeRecoveryMetrics, metricsCsv, type RecoveryMetrics } from '../../core/metrics/recovery-metrics.js';
import { buildWeeklyReport, mondayOf, queueReportEmails } from '../../core/reports/weekly-report.js';
import { recordAudit } from '../../core/audit/audit-log.js';
import { assertBusinessVisible, visibleBusinessIds } from '../auth/access.js';
import { ApiError } from '../errors.js';
import { routeSchema } from '../route-schema.js';
import { businessIdParams, findBusinessOr404 } from './hours-schemas.js';

interface MetricsQuerystring {
  from?: string;
  to?: string;
  business_id?: string;
  did?: string;
  lead_source?: string;
}

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
const MAX_DAYS = 366;

const metricsQuerySchema = {
  type: 'object',
  properties: {
    from: { type: 'string', pattern: DATE, description: "First day, in the business's zone (default: 29 days before `to`)." },
    to: { type: 'string', pattern: DATE, description: "Last day, inclusive (default: today in the business's zone)." },
    business_id: { type: 'string', format: 'uuid', description: 'Default: your only business, else the default business.' },
    did: { type: 'string', maxLength: 40 },
    lead_source: { type: 'string', maxLength: 80 },
  },
  additionalProperties: false,
} as const;

const percentiles = { type: 'object', properties: { p50: { type: ['integer', 'null'] }, p95: { type: ['integer', 'null'] } } } as const;
const metricsSchema = {
  type: 'object',
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    time_zone: { type: 'string' },
    missed_calls: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        by_reason: { type: 'object', additionalProperties: { type: 'integer' } },
        by_hour: { type: 'array', items: { type: 'integer' }, minItems: 24, maxItems: 24 },
      },
    },
    recovered: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        by_week: { type: 'array', items: { type: 'object', properties: { week_start: { type: 'string' }, count: { type: 'integer' } } } },
      },
    },
    time_to_first_text_ms: percentiles,
    callback_response_ms: percentiles,
    contact_rate: { type: ['number', 'null'] },
    bookings: { type: 'integer' },
    by_did: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          did: { type: ['string', 'null'] },
          lead_source: { type: ['string', 'null'] },
          missed_calls: { type: 'integer' },
          recovered: { type: 'integer' },
          bookings: { type: 'integer' },
        },
      },
    },
  },
} as const;

async function metricsFor(request: FastifyRequest<{ Querystring: MetricsQuerystring }>, now: Date): Promise<RecoveryMetrics> {
  const q = request.query;
  let business: Business | null;
  if (q.business_id) {
    assertBusinessVisible(request, q.business_id);
    business = await request.em.findOne(Business, { id: q.business_id });
  } else {
    const visible = visibleBusinessIds(request);
    business = visible?.length === 1 ? await request.em.findOne(Business, { id: visible[0] }) : visible === null ? await request.em.findOne(Business, { isDefault: true }) : null;
    if (!business && visible && visible.length > 1) throw new ApiError(400, 'business_required', 'Name the business (business_id): you can see several.');
  }
  if (!business) throw new ApiError(404, 'business_not_found', 'No business has this id.');
  const today = localDayAndMinute(now.getTime(), business.timeZone).day;
  const toDay = q.to ? parseIsoDate(q.to) : today;
  const fromDay = q.from ? parseIsoDate(q.from) : toDay === null ? null : toDay - 29;
  if (fromDay === null || toDay === null) throw new ApiError(400, 'invalid_date', 'from and to must be real dates (YYYY-MM-DD).');
  if (fromDay > toDay) throw new ApiError(400, 'invalid_range', 'from is after to.');
  if (toDay - fromDay + 1 > MAX_DAYS) throw new ApiError(400, 'range_too_long', `At most ${MAX_DAYS} days at once.`);
  return computeRecoveryMetrics(request.em, {
    businessId: business.id,
    timeZone: business.timeZone,
    from: isoDate(fromDay),
    to: isoDate(toDay),
    did: q.did ?? null,
    leadSource: q.lead_source ?? null,
  });
}

export async function registerMetricsRoutes(app: FastifyInstance, deps: { now: () => Date }): Promise<void> {
  app.get<{ Querystring: MetricsQuerystring }>(
    '/metrics',
    {
      config: { permission: 'metrics:read' },
      schema: routeSchema({
        description:
          "Recovery figures over a date range in the business's zone: missed calls by reason and local hour, recovered callers (consented, then replied, were reached or booked) by week, time to first text and callback response (p50/p95, ms), contact rate, bookings, per DID and campaign.",
        querystring: metricsQuerySchema,
        response: { 200: metricsSchema },
      }),
    },
    async (request) => metricsFor(request, deps.now()),
  );
  app.get<{ Querystring: MetricsQuerystring }>(
    '/metrics.csv',
    {
      config: { permission: 'metrics:read' },
      schema: routeSchema({ description: 'The same figures as CSV: one row per DID / campaign and a total row.', querystring: metricsQuerySchema }),
    },
    async (request, reply) => {
      const metrics = await metricsFor(request, deps.now());
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="metrics-${metrics.from}-${metrics.to}.csv"`)
        .send(metricsCsv(metrics));
    },
  );

  const weekQuery = {
    type: 'object',
    properties: { week_start: { type: 'string', pattern: DATE, description: 'Any day of the week (Monday to Sunday); default: last week.' } },
    additionalProperties: false,
  } as const;
  const weekOf = (business: Business, weekStart?: string) => {
    if (weekStart) {
      if (parseIsoDate(weekStart) === null) throw new ApiError(400, 'invalid_date', 'week_start must be a real date.');
      return mondayOf(weekStart);
    }
    return mondayOf(isoDate(localDayAndMinute(deps.now().getTime(), business.timeZone).day - 7));
  };
  app.get<{ Params: { id: string }; Querystring: { week_start?: string } }>(
    '/businesses/:id/reports/weekly',
    {
      config: { permission: 'metrics:read' },
      schema: routeSchema({
        description: 'The weekly recovery report: one week (Monday to Sunday, business zone) and the week before.',
        params: businessIdParams,
        querystring: weekQuery,
        response: {
          200: { type: 'object', properties: { week_start: { type: 'string' }, week_end: { type: 'string' }, time_zone: { type: 'string' }, current: metricsSchema, previous: metricsSchema } },
        },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const report = await buildWeeklyReport(request.em, business, weekOf(business, request.query.week_start));
      return { week_start: report.weekStart, week_end: report.weekEnd, time_zone: business.timeZone, current: report.current, previous: report.previous };
    },
  );
  app.post<{ Params: { id: string }; Body: { week_start?: string } }>(
    '/businesses/:id/reports/weekly/send',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description: "E-mails the weekly report now to the business's managers (else its admins), HTML with a chart and the CSV attached.",
        params: businessIdParams,
        body: { ...weekQuery },
        response: { 202: { type: 'object', properties: { week_start: { type: 'string' }, queued: { type: 'integer' } } } },
      }),
    },
    async (request, reply) => {
      const business = await findBusinessOr404(request, request.params.id);
      const week = weekOf(business, request.body?.week_start);
      const report = await buildWeeklyReport(request.em, business, week);
      const queued = await request.em.transactional(async (tx) => {
        const count = await queueReportEmails(tx, business, report, `:on-demand:${randomUUID()}`, deps.now());
        const who = request.principal;
        recordAudit(tx, who ? { kind: who.kind, id: who.id, name: who.name } : { kind: 'system' }, {
          requestId: request.id,
          action: 'weekly_report.send',
          entityType: 'weekly_report',
          entityId: `${business.id}:${week}`,
          businessId: business.id,
          after: { week_start: week, queued: count },
        });
        return count;
      });
      return reply.status(202).send({ week_start: week, queued });
    },
  );
}
