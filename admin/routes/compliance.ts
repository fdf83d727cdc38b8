import type { FastifyInstance } from 'fastify';
import { EXEMPT_KINDS } from '../../core/compliance/compliance-gate.js';
import { effectiveQuietHours, loadDefaultQuietHours } from '../../core/compliance/compliance-settings.js';
import { FEDERAL_SEND_WINDOW, formatSendWindow, parseSendWindow, windowInside } from '../../core/compliance/quiet-hours.js';
import { CAPPED_KINDS, COUNTED_STATUSES, DAILY_TEXT_CAP, RECOVERIES_PER_DAY } from '../../core/compliance/send-caps.js';
import type { Business } from '../../core/entities/index.js';
import type { EntityManager } from '../../core/db/database.js';
import { ApiError, errorResponseSchema } from '../errors.js';
import { pageQuerySchema } from '../pagination.js';
import { routeSchema } from '../route-schema.js';
import { businessFilter } from '../auth/access.js';
import { businessIdParams, findBusinessOr404 } from './hours-schemas.js';
import { outboxItemSchema, outboxPage, recipientFilter } from './outbox.js';

/** What became of a text the gate stopped: refused for good, waiting (deferred), or sent once its wait was over. */
const REFUSAL_STATES = ['refused', 'deferred', 'released'] as const;
type RefusalState = (typeof REFUSAL_STATES)[number];

interface RefusalsQuery {
  limit: number;
  cursor?: string;
  business_id?: string;
  reason?: string;
  state?: RefusalState;
  to?: string;
}

const quietHoursSchema = {
  type: 'object',
  properties: {
    business_id: { type: 'string' },
    quiet_hours: { type: ['string', 'null'], description: "The business's own window (HH:MM-HH:MM); null: the default." },
    default: { type: 'string', description: 'QUIET_HOURS.' },
    effective: { type: 'string', description: "The window its texts go in, in each recipient's local time." },
  },
  required: ['business_id', 'quiet_hours', 'default', 'effective'],
} as const;

export async function registerComplianceRoutes(app: FastifyInstance, deps: { defaultCountry: string }): Promise<void> {
  app.get<{ Querystring: RefusalsQuery }>(
    '/compliance/refusals',
    {
      config: { permission: 'messages:read' },
      schema: routeSchema({
        description:
          'Texts the compliance gate refused or deferred, newest first, with the reason: opted_out, no_consent, callback_only, daily_cap, recovery_already_sent, quiet_hours (deferred), ... `state`: refused, deferred (waiting until not_before) or released (sent after waiting).',
        querystring: {
          type: 'object',
          properties: {
            ...pageQuerySchema,
            business_id: { type: 'string', format: 'uuid' },
            reason: { type: 'string', pattern: '^[a-z_]{1,40}$' },
            state: { type: 'string', enum: REFUSAL_STATES },
            to: { type: 'string', minLength: 3, maxLength: 32 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  ...outboxItemSchema,
                  properties: { ...outboxItemSchema.properties, state: { type: 'string', enum: REFUSAL_STATES } },
                },
              },
              next_cursor: { type: ['string', 'null'] },
            },
            required: ['items', 'next_cursor'],
          },
        },
      }),
    },
    async (request) => {
      const { limit, cursor, business_id: businessId, reason, state, to } = request.query;
      const where: Record<string, unknown> = { refusalReason: reason ?? { $ne: null } };
      Object.assign(where, businessFilter(request, businessId));
      if (to) where.toE164 = recipientFilter(to, deps.defaultCountry);
      if (state === 'refused') where.status = 'refused';
      if (state === 'deferred') where.status = 'queued';
      if (state === 'released') where.status = { $nin: ['refused', 'queued'] };
      const page = await outboxPage(request, where, limit, cursor);
      return { ...page, items: page.items.map((item) => ({ ...item, state: stateOf(item.status) })) };
    },
  );

  app.get(
    '/compliance/policy',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: 'The rules the gate applies to every text: default quiet hours, the caps and what they count, the exempt kinds.',
      }),
    },
    async (request) => ({
      quiet_hours_default: formatSendWindow(await loadDefaultQuietHours(request.em)),
      quiet_hours_widest_allowed: formatSendWindow(FEDERAL_SEND_WINDOW),
      exempt_kinds: [...EXEMPT_KINDS],
      daily_cap: DAILY_TEXT_CAP,
      recoveries_per_day: RECOVERIES_PER_DAY,
      capped_kinds: [...CAPPED_KINDS],
      counted_statuses: [...COUNTED_STATUSES],
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/businesses/:id/quiet-hours',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: "The window this business's texts may reach people in (their local time).",
        params: businessIdParams,
        response: { 200: quietHoursSchema, 404: errorResponseSchema },
      }),
    },
    async (request) => toApiQuietHours(request.em, await findBusinessOr404(request, request.params.id)),
  );

  app.put<{ Params: { id: string }; Body: { quiet_hours: string | null } }>(
    '/businesses/:id/quiet-hours',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description: `Sets this business's own window (HH:MM-HH:MM, inside ${formatSendWindow(FEDERAL_SEND_WINDOW)}, the federal TCPA hours), or null for the default. Codes invalid_quiet_hours, quiet_hours_too_wide.`,
        params: businessIdParams,
        body: {
          type: 'object',
          properties: { quiet_hours: { type: ['string', 'null'], maxLength: 11 } },
          required: ['quiet_hours'],
          additionalProperties: false,
        },
        response: { 200: quietHoursSchema, 400: errorResponseSchema, 404: errorResponseSchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const value = request.body.quiet_hours;
      const window = value === null ? null : parseSendWindow(value);
      if (value !== null && !window) {
        throw new ApiError(
          400,
          'invalid_quiet_hours',
          'quiet_hours is HH:MM-HH:MM with the start before the end, e.g. 09:00-19:00, or null.',
        );
      }
      if (window && !windowInside(window, FEDERAL_SEND_WINDOW)) {
        throw new ApiError(
          400,
          'quiet_hours_too_wide',
          `quiet_hours must lie inside ${formatSendWindow(FEDERAL_SEND_WINDOW)}: texts outside those hours break the federal TCPA.`,
        );
      }
      business.quietHours = window ? formatSendWindow(window) : null;
      await request.em.flush();
      return toApiQuietHours(request.em, business);
    },
  );
}

function stateOf(status: string): RefusalState {
  if (status === 'refused') return 'refused';
  return status === 'queued' ? 'deferred' : 'released';
}

async function toApiQuietHours(em: EntityManager, business: Business) {
  return {
    business_id: business.id,
    quiet_hours: business.quietHours ?? null,
    default: formatSendWindow(await loadDefaultQuietHours(em)),
    effective: formatSendWindow((await effectiveQuietHours(em, business)).window),
  };
}
