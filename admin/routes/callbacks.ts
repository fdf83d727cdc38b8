import type { FastifyInstance } from 'fastify';
import { routeSchema } from '../route-schema.js';
import { businessFilter } from '../auth/access.js';
import { CallbackTask, Lead } from '../../core/entities/index.js';
import { decodeCursor, encodeCursor, pageQuerySchema } from '../pagination.js';
import { latestVoicemails, voicemailSummarySchema } from './voicemails.js';

interface CallbackQuery {
  limit: number;
  cursor?: string;
  business_id?: string;
}

const callbackTaskSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    business_id: { type: 'string' },
    lead_id: { type: 'string' },
    call_id: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'], description: 'E.164; null when the caller withheld their number.' },
    caller_raw: { type: ['string', 'null'], description: 'The caller id as received. Untrusted text: render as text, never as markup.' },
    reason: { type: 'string' },
    status: { type: 'string', enum: ['open', 'claimed'] },
    priority: { type: 'integer' },
    attempts: { type: 'integer' },
    lead_source: { type: ['string', 'null'] },
    due_at: { type: 'string', format: 'date-time' },
    created_at: { type: 'string', format: 'date-time' },
    voicemail: voicemailSummarySchema,
  },
  required: ['id', 'reason', 'status', 'due_at'],
} as const;

export async function registerCallbackRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: CallbackQuery }>(
    '/callbacks',
    {
      config: { permission: 'callbacks:read' },
      schema: routeSchema({
        description: 'Open callback tasks, oldest due first.',
        querystring: {
          type: 'object',
          properties: { ...pageQuerySchema, business_id: { type: 'string', format: 'uuid' } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: callbackTaskSchema }, next_cursor: { type: ['string', 'null'] } },
            required: ['items', 'next_cursor'],
          },
        },
      }),
    },
    async (request) => {
      const { limit, cursor, business_id: businessId } = request.query;
      const after = decodeCursor(cursor, 2);
      const where: Record<string, unknown> = { status: { $ne: 'done' } };
      Object.assign(where, businessFilter(request, businessId));
      if (after) {
        const [dueAt, id] = after as [string, string];
        where.$or = [{ dueAt: { $gt: new Date(dueAt) } }, { dueAt: new Date(dueAt), id: { $gt: id } }];
      }
      const tasks = await request.em.find(CallbackTask, where, { orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], limit: limit + 1 });
      const page = tasks.slice(0, limit);
      const leads = new Map(
        (await request.em.find(Lead, { id: { $in: page.map((t) => t.leadId) } })).map((lead) => [lead.id, lead] as const),
      );
      const voicemails = await latestVoicemails(request.em, page.map((t) => t.leadId));
      const last = page.at(-1);
      return {
        items: page.map((task) => ({
          id: task.id,
          business_id: task.businessId,
          lead_id: task.leadId,
          call_id: task.callId ?? null,
          phone: task.phoneE164 ?? null,
          caller_raw: task.callerRaw ?? null,
          reason: task.reason,
          status: task.status,
          priority: task.priority,
          attempts: task.attempts,
          lead_source: leads.get(task.leadId)?.source ?? null,
          due_at: task.dueAt.toISOString(),
          created_at: task.createdAt.toISOString(),
          voicemail: voicemails.get(task.leadId) ?? null,
        })),
        next_cursor: tasks.length > limit && last ? encodeCursor([last.dueAt.toISOString(), last.id]) : null,
      };
    },
  );
}
