import type { FastifyInstance } from 'fastify';
import { addHoliday, deleteHoliday, HolidayExistsError, listHolidays, type StoredHoliday } from '../../core/hours/hours-store.js';
import { validateDayRanges } from '../../core/hours/validate-ranges.js';
import { sanitizeText } from '../../core/phone.js';
import { ApiError, errorResponseSchema } from '../errors.js';
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

interface NewHolidayBody {
  date: string;
  name?: string | null;
  hours?: ApiRange[];
}

const holidaySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    business_id: { type: 'string' },
    date: { type: 'string', format: 'date', description: "A date in the business's own calendar." },
    name: { type: ['string', 'null'] },
    closed_all_day: { type: 'boolean' },
    hours: { type: 'array', items: rangeSchema, description: 'Special hours that replace the week that day; empty when closed all day.' },
  },
  required: ['id', 'business_id', 'date', 'name', 'closed_all_day', 'hours'],
} as const;

const holidayParams = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' }, holidayId: { type: 'string', format: 'uuid' } },
  required: ['id', 'holidayId'],
} as const;

export async function registerBusinessHolidayRoutes(app: FastifyInstance, deps: HoursRouteDeps): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>(
    '/businesses/:id/holidays',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: 'Holidays of the business by date, optionally from and/or to a date (inclusive).',
        params: businessIdParams,
        querystring: {
          type: 'object',
          properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: holidaySchema } }, required: ['items'] },
          404: errorResponseSchema,
        },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const holidays = await listHolidays(request.em, business.id, request.query.from, request.query.to);
      return { items: holidays.map((holiday) => toApiHoliday(business.id, holiday)) };
    },
  );

  app.post<{ Params: { id: string }; Body: NewHolidayBody }>(
    '/businesses/:id/holidays',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description:
          'Adds a holiday: closed all day (no hours), or special hours that replace the week that day. A holiday owns its whole day: hours running past midnight from the day before stop at its midnight. One holiday per date.',
        params: businessIdParams,
        body: {
          type: 'object',
          properties: {
            date: { type: 'string', format: 'date' },
            name: { type: ['string', 'null'], minLength: 1, maxLength: 80 },
            hours: { type: 'array', maxItems: 12, items: rangeSchema },
          },
          required: ['date'],
          additionalProperties: false,
        },
        response: { 201: holidaySchema, 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema },
      }),
    },
    async (request, reply) => {
      const business = await findBusinessOr404(request, request.params.id);
      const ranges = (request.body.hours ?? []).map(toTimeRange);
      assertNoRangeProblems(validateDayRanges(ranges));
      const name = request.body.name ? sanitizeText(request.body.name, 80).trim() || null : null;
      let holiday: StoredHoliday;
      try {
        holiday = await addHoliday(request.em, business.id, { date: request.body.date, name, ranges });
      } catch (err) {
        if (err instanceof HolidayExistsError)
          throw new ApiError(409, 'holiday_exists', 'This business already has a holiday on that date; delete it first.');
        throw err;
      }
      deps.hoursChanged();
      return reply.status(201).send(toApiHoliday(business.id, holiday));
    },
  );

  app.delete<{ Params: { id: string; holidayId: string } }>(
    '/businesses/:id/holidays/:holidayId',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description: 'Removes a holiday; the normal week applies to that date again.',
        params: holidayParams,
        response: { 204: { type: 'null' }, 404: errorResponseSchema },
      }),
    },
    async (request, reply) => {
      const business = await findBusinessOr404(request, request.params.id);
      if (!(await deleteHoliday(request.em, business.id, request.params.holidayId))) {
        throw new ApiError(404, 'holiday_not_found', 'This business has no holiday with this id.');
      }
      deps.hoursChanged();
      return reply.status(204).send();
    },
  );
}

function toApiHoliday(businessId: string, holiday: StoredHoliday) {
  return {
    id: holiday.id,
    business_id: businessId,
    date: holiday.date,
    name: holiday.name,
    closed_all_day: holiday.ranges.length === 0,
    hours: holiday.ranges.map(toApiRange),
  };
}
