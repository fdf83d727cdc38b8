/**
 * JSON shapes shared by the hours, holidays and open-state routes, and the
 * conversions between the API's snake_case ranges and core/hours.
 */
import type { FastifyRequest } from 'fastify';
import { Business } from '../../core/entities/index.js';
import type { TimeRange } from '../../core/hours/schedule-types.js';
import type { RangeProblem } from '../../core/hours/validate-ranges.js';
import { ApiError } from '../errors.js';
import { assertBusinessVisible } from '../auth/access.js';

/** What the hours routes need besides the request: who to tell about a change, and the time. */
export interface HoursRouteDeps {
  /** Called after every change to hours, holidays or a business's zone (starts the open-state publisher). */
  hoursChanged: () => void;
  now: () => Date;
}

export interface ApiRange {
  open: string;
  close: string;
  ends_next_day?: boolean;
}

export const rangeSchema = {
  type: 'object',
  properties: {
    open: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, local time of the business.' },
    close: {
      type: 'string',
      pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
      description: 'HH:MM; 24:00 is midnight at the end of the day.',
    },
    ends_next_day: {
      type: 'boolean',
      default: false,
      description: 'True for a range past midnight (22:00-02:00); required for any close at or before the open.',
    },
  },
  required: ['open', 'close'],
  additionalProperties: false,
} as const;

export const businessIdParams = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' } },
  required: ['id'],
} as const;

export const toTimeRange = (range: ApiRange): TimeRange => ({
  open: range.open,
  close: range.close,
  endsNextDay: range.ends_next_day ?? false,
});

export const toApiRange = (range: TimeRange): Required<ApiRange> => ({
  open: range.open,
  close: range.close,
  ends_next_day: range.endsNextDay ?? false,
});

/** 400 with the first problem's code (invalid_time, invalid_range, overlapping_ranges) and every problem in the message. */
export function assertNoRangeProblems(problems: RangeProblem[]): void {
  const first = problems[0];
  if (first) throw new ApiError(400, first.code, problems.map((problem) => problem.message).join('; '));
}

/** The business a route is about; 404 when it does not exist or the caller may not see it. */
export async function findBusinessOr404(request: FastifyRequest, id: string): Promise<Business> {
  assertBusinessVisible(request, id);
  const business = await request.em.findOne(Business, { id });
  if (!business) throw new ApiError(404, 'business_not_found', 'No business has this id.');
  return business;
}
