import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OutboxMessage, type MessageKind, type OutboxStatus } from '../../core/entities/index.js';
import { readCallerNumber } from '../../core/phone.js';
import { businessFilter, hasPermission } from '../auth/access.js';
import { ApiError } from '../errors.js';
import { decodeCursor, encodeCursor, pageQuerySchema } from '../pagination.js';
import { routeSchema } from '../route-schema.js';

export const OUTBOX_STATUSES: readonly OutboxStatus[] = [
  'queued',
  'sending',
  'submitted',
  'delivered',
  'failed',
  'expired',
  'unknown',
  'refused',
];
export const MESSAGE_KINDS: readonly MessageKind[] = [
  'acknowledgement',
  'conversational',
  'informational',
  'follow_up',
  'staff',
  'optout_confirmation',
  'help',
];
/** Keys with this scope (or `admin`) see what texts said; others see everything else. */
export const BODY_SCOPE = 'message_bodies';

interface OutboxQuery {
  limit: number;
  cursor?: string;
  status?: OutboxStatus;
  kind?: MessageKind;
  business_id?: string;
  to?: string;
}

export const outboxItemSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    business_id: { type: 'string' },
    lead_id: { type: ['string', 'null'] },
    to: { type: 'string' },
    from: { type: 'string' },
    kind: { type: 'string', enum: MESSAGE_KINDS },
    status: { type: 'string', enum: OUTBOX_STATUSES },
    refusal_reason: {
      type: ['string', 'null'],
      description:
        'Why the compliance gate refused it (status refused) or made it wait (`quiet_hours`: queued until not_before; on a sent text it says it waited).',
    },
    body: { type: ['string', 'null'], description: `The text; null unless the API key has the admin or ${BODY_SCOPE} scope.` },
    body_redacted: { type: 'boolean' },
    attempts: { type: 'integer' },
    error: { type: ['string', 'null'] },
    not_before: { type: 'string', format: 'date-time', description: 'Not sent before this (a quiet-hours deferral moves it).' },
    created_at: { type: 'string', format: 'date-time' },
    submitted_at: { type: ['string', 'null'], format: 'date-time' },
    final_at: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'business_id', 'to', 'kind', 'status', 'refusal_reason', 'body', 'body_redacted', 'not_before', 'created_at'],
} as const;

export async function registerOutboxRoutes(app: FastifyInstance, deps: { defaultCountry: string }): Promise<void> {
  app.get<{ Querystring: OutboxQuery }>(
    '/outbox',
    {
      config: { permission: 'messages:read' },
      schema: routeSchema({
        description: `Outbound texts, newest first, with their status and any refusal or deferral reason. Bodies only for keys with the admin or ${BODY_SCOPE} scope.`,
        querystring: {
          type: 'object',
          properties: {
            ...pageQuerySchema,
            status: { type: 'string', enum: OUTBOX_STATUSES },
            kind: { type: 'string', enum: MESSAGE_KINDS },
            business_id: { type: 'string', format: 'uuid' },
            to: { type: 'string', minLength: 3, maxLength: 32, description: 'The recipient (E.164, or national for DEFAULT_COUNTRY).' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: outboxItemSchema }, next_cursor: { type: ['string', 'null'] } },
            required: ['items', 'next_cursor'],
          },
        },
      }),
    },
    async (request) => {
      const { limit, cursor, status, kind, business_id: businessId, to } = request.query;
      const where: Record<string, unknown> = {};
      if (status) where.status = status;
      if (kind) where.kind = kind;
      Object.assign(where, businessFilter(request, businessId));
      if (to) where.toE164 = recipientFilter(to, deps.defaultCountry);
      return outboxPage(request, where, limit, cursor);
    },
  );
}

/** One page of outbox rows, newest first, under `where`; shared with the refusals list. */
export async function outboxPage(request: FastifyRequest, where: Record<string, unknown>, limit: number, cursor: string | undefined) {
  const before = decodeCursor(cursor, 2);
  if (before) {
    const [createdAt, id] = before as [string, string];
    where.$or = [{ createdAt: { $lt: new Date(createdAt) } }, { createdAt: new Date(createdAt), id: { $lt: id } }];
  }
  const rows = await request.em.find(OutboxMessage, where, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const showBodies = hasPermission(request, BODY_SCOPE);
  return {
    items: page.map((row) => toApiOutbox(row, showBodies)),
    next_cursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

export function recipientFilter(to: string, defaultCountry: string): string {
  const number = readCallerNumber(to, defaultCountry);
  if (number.kind !== 'valid') throw new ApiError(400, 'invalid_phone', 'Give `to` as a valid phone number, e.g. +14155550100.');
  return number.e164;
}

function toApiOutbox(row: OutboxMessage, showBody: boolean) {
  return {
    id: row.id,
    business_id: row.businessId,
    lead_id: row.leadId ?? null,
    to: row.toE164,
    from: row.fromAddr,
    kind: row.kind,
    status: row.status,
    refusal_reason: row.refusalReason ?? null,
    // Texts are personal conversations: a key made for dashboards need not read them.
    body: showBody ? row.body : null,
    body_redacted: !showBody,
    attempts: row.attempts,
    error: row.error ?? null,
    not_before: row.notBefore.toISOString(),
    created_at: row.createdAt.toISOString(),
    submitted_at: row.submittedAt?.toISOString() ?? null,
    final_at: row.finalAt?.toISOString() ?? null,
  };
}
