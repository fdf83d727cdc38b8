import type { FastifyInstance } from 'fastify';
import { routeSchema } from '../route-schema.js';
import { businessFilter } from '../auth/access.js';
import { CALL_OUTCOMES, Call } from '../../core/entities/index.js';
import { decodeCursor, encodeCursor, pageQuerySchema } from '../pagination.js';

interface CallsQuery {
  limit: number;
  cursor?: string;
  business_id?: string;
  outcome?: string;
}

const callSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    business_id: { type: 'string' },
    lead_id: { type: ['string', 'null'] },
    channel_id: { type: 'string' },
    caller: { type: ['string', 'null'], description: 'E.164 when the caller id was a valid number.' },
    caller_raw: { type: ['string', 'null'], description: 'Untrusted text: render as text, never as markup.' },
    caller_name: { type: ['string', 'null'], description: 'Untrusted text: render as text, never as markup.' },
    did: { type: ['string', 'null'] },
    reason: { type: 'string' },
    outcome: { type: 'string' },
    dtmf: { type: ['string', 'null'] },
    entered_at: { type: 'string', format: 'date-time' },
    ended_at: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'reason', 'outcome', 'entered_at'],
} as const;

export async function registerCallRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: CallsQuery }>(
    '/calls',
    {
      config: { permission: 'calls:read' },
      schema: routeSchema({
        description: 'Missed calls that reached the app, newest first.',
        querystring: {
          type: 'object',
          properties: {
            ...pageQuerySchema,
            business_id: { type: 'string', format: 'uuid' },
            outcome: { type: 'string', enum: CALL_OUTCOMES },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: callSchema }, next_cursor: { type: ['string', 'null'] } },
            required: ['items', 'next_cursor'],
          },
        },
      }),
    },
    async (request) => {
      const { limit, cursor, business_id: businessId, outcome } = request.query;
      const before = decodeCursor(cursor, 2);
      const where: Record<string, unknown> = {};
      Object.assign(where, businessFilter(request, businessId));
      if (outcome) where.outcome = outcome;
      if (before) {
        const [enteredAt, id] = before as [string, string];
        where.$or = [{ enteredAt: { $lt: new Date(enteredAt) } }, { enteredAt: new Date(enteredAt), id: { $lt: id } }];
      }
      const calls = await request.em.find(Call, where, { orderBy: [{ enteredAt: 'desc' }, { id: 'desc' }], limit: limit + 1 });
      const page = calls.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((call) => ({
          id: call.id,
          business_id: call.businessId,
          lead_id: call.leadId ?? null,
          channel_id: call.channelId,
          caller: call.callerE164 ?? null,
          caller_raw: call.callerRaw ?? null,
          caller_name: call.callerName ?? null,
          did: call.did ?? null,
          reason: call.reason,
          outcome: call.outcome,
          dtmf: call.dtmf ?? null,
          entered_at: call.enteredAt.toISOString(),
          ended_at: call.endedAt.toISOString(),
        })),
        next_cursor: calls.length > limit && last ? encodeCursor([last.enteredAt.toISOString(), last.id]) : null,
      };
    },
  );
}
