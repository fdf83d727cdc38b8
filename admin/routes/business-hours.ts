import type { FastifyInstance } from 'fastify';
import { loadOpeningRules, loadWeeklySchedule, replaceWeeklySchedule } from '../../core/hours/hours-store.js';
import { isOpen, nextChange, nextOpening } from '../../core/hours/opening-hours.js';
import { WEEKDAYS, type Weekday, type WeeklyRange } from '../../core/hours/schedule-types.js';
import { validateWeeklySchedule } from '../../core/hours/validate-ranges.js';
import { errorResponseSchema } from '../errors.js';
import { routeSchema } from '../route-schema.js';
import {
  assertNoRangeProblems,
  businessIdParams,
  findBusinessOr404,
  rangeSchema,
  toApiRange,
  toTimeRange,
  type ApiRange,
  type HoursRouteDeps,
} from './hours-schemas.js';

type ApiWeek = Record<Weekday, ApiRange[]>;

const weekSchema = {
  type: 'object',
  description: 'Every day of the week, each with its opening ranges (an empty list: closed that day).',
  properties: Object.fromEntries(WEEKDAYS.map((day) => [day, { type: 'array', maxItems: 12, items: rangeSchema }])),
  required: [...WEEKDAYS],
  additionalProperties: false,
} as const;

const hoursResponse = {
  type: 'object',
  properties: {
    business_id: { type: 'string' },
    time_zone: { type: 'string' },
    hours_set: { type: 'boolean', description: 'False while no weekly hours are stored: the business then counts as always open.' },
    week: weekSchema,
  },
  required: ['business_id', 'time_zone', 'hours_set', 'week'],
} as const;

const openStateResponse = {
  type: 'object',
  properties: {
    business_id: { type: 'string' },
    time_zone: { type: 'string' },
    hours_set: { type: 'boolean' },
    at: { type: 'string', format: 'date-time', description: 'The instant this answer is for.' },
    open: { type: 'boolean' },
    next_change: {
      type: ['object', 'null'],
      properties: { at: { type: 'string', format: 'date-time' }, open: { type: 'boolean' } },
      required: ['at', 'open'],
      description: 'When open/closed next flips and what it becomes; null if it never does.',
    },
    next_opening: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'The next time it opens (after the current period when open now).',
    },
  },
  required: ['business_id', 'time_zone', 'hours_set', 'at', 'open', 'next_change', 'next_opening'],
} as const;

export async function registerBusinessHoursRoutes(app: FastifyInstance, deps: HoursRouteDeps): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/businesses/:id/hours',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: "The business's weekly opening hours, in its own time zone.",
        params: businessIdParams,
        response: { 200: hoursResponse, 404: errorResponseSchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const week = await loadWeeklySchedule(request.em, business.id);
      return { business_id: business.id, time_zone: business.timeZone, hours_set: week.length > 0, week: toApiWeek(week) };
    },
  );

  app.put<{ Params: { id: string }; Body: { week: ApiWeek } }>(
    '/businesses/:id/hours',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description:
          'Replaces the whole week. Times are HH:MM local; several ranges a day are fine, overlapping ones are not; a range past midnight needs ends_next_day. Asterisk is told at once.',
        params: businessIdParams,
        body: { type: 'object', properties: { week: weekSchema }, required: ['week'], additionalProperties: false },
        response: { 200: hoursResponse, 400: errorResponseSchema, 404: errorResponseSchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const schedule = WEEKDAYS.flatMap((day) => request.body.week[day].map((range): WeeklyRange => ({ day, ...toTimeRange(range) })));
      assertNoRangeProblems(validateWeeklySchedule(schedule));
      await replaceWeeklySchedule(request.em, business.id, schedule);
      deps.hoursChanged();
      const stored = await loadWeeklySchedule(request.em, business.id);
      return { business_id: business.id, time_zone: business.timeZone, hours_set: stored.length > 0, week: toApiWeek(stored) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/businesses/:id/open-state',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: 'Whether the business is open now (hours and holidays), and when that next changes.',
        params: businessIdParams,
        response: { 200: openStateResponse, 404: errorResponseSchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const at = deps.now();
      const { schedule, holidays, timeZone, hoursSet } = await loadOpeningRules(request.em, business, at);
      const change = nextChange(schedule, holidays, timeZone, at);
      return {
        business_id: business.id,
        time_zone: timeZone,
        hours_set: hoursSet,
        at: at.toISOString(),
        open: isOpen(schedule, holidays, timeZone, at),
        next_change: change ? { at: change.at.toISOString(), open: change.open } : null,
        next_opening: nextOpening(schedule, holidays, timeZone, at)?.toISOString() ?? null,
      };
    },
  );
}

function toApiWeek(schedule: readonly WeeklyRange[]): Record<Weekday, Required<ApiRange>[]> {
  const week = Object.fromEntries(WEEKDAYS.map((day) => [day, [] as Required<ApiRange>[]])) as Record<Weekday, Required<ApiRange>[]>;
  for (const range of schedule) week[range.day].push(toApiRange(range));
  return week;
}
