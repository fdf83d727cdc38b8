import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { mapDid } from '../../core/businesses/business-directory.js';
import { BusinessDid, CallerListEntry } from '../../core/entities/index.js';
import { normalizeDid, readCallerNumber, sanitizeText } from '../../core/phone.js';
import { ApiError } from '../errors.js';
import { routeSchema } from '../route-schema.js';
import { businessIdParams, findBusinessOr404, type HoursRouteDeps } from './hours-schemas.js';

export interface NumberRouteDeps extends HoursRouteDeps {
  defaultCountry: string;
}

const didSchema = {
  type: 'object',
  properties: {
    did: { type: 'string', description: 'The dialled number, E.164 when it parses.' },
    lead_source: { type: ['string', 'null'], description: 'Campaign / lead-source tag leads from this number carry.' },
  },
  required: ['did', 'lead_source'],
} as const;

const listEntrySchema = {
  type: 'object',
  properties: {
    phone: { type: 'string' },
    list: { type: 'string', enum: ['allow', 'block'] },
    note: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
  },
  required: ['phone', 'list', 'note', 'created_at'],
} as const;

const withNumber = (name: string) =>
  ({
    type: 'object',
    properties: { id: { type: 'string', format: 'uuid' }, [name]: { type: 'string', minLength: 3, maxLength: 32 } },
    required: ['id', name],
  }) as const;

/** The numbers that belong to a business (DIDs, with their campaign tag) and its allow / block lists. */
export async function registerBusinessNumberRoutes(app: FastifyInstance, deps: NumberRouteDeps): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/businesses/:id/dids',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: 'Numbers callers dial to reach this business.',
        params: businessIdParams,
        response: { 200: { type: 'array', items: didSchema } },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const rows = await request.em.find(BusinessDid, { businessId: business.id }, { orderBy: { did: 'asc' } });
      return rows.map((row) => ({ did: row.did, lead_source: row.leadSource ?? null }));
    },
  );

  app.put<{ Params: { id: string; did: string }; Body: { lead_source?: string | null } }>(
    '/businesses/:id/dids/:did',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description: 'Maps a dialled number to this business (moving it if another business had it), with an optional lead-source tag.',
        params: withNumber('did'),
        body: {
          type: 'object',
          properties: { lead_source: { type: ['string', 'null'], maxLength: 60, pattern: '^[A-Za-z0-9 ._:/-]*$' } },
          additionalProperties: false,
        },
        response: { 200: didSchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const did = normalizeDid(request.params.did, deps.defaultCountry);
      if (!did || !/^\+?[0-9*#]{3,20}$/.test(did)) throw new ApiError(400, 'invalid_did', 'Give the number as dialled, e.g. +14155559999.');
      const leadSource = request.body?.lead_source ? sanitizeText(request.body.lead_source, 60) : null;
      await mapDid(request.em, did, business.id, leadSource ?? undefined);
      // Asterisk keeps an open/closed flag per number: tell the publisher.
      deps.hoursChanged();
      return { did, lead_source: leadSource };
    },
  );

  app.delete<{ Params: { id: string; did: string } }>(
    '/businesses/:id/dids/:did',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description: 'Unmaps a dialled number; its calls then go to the default business.',
        params: withNumber('did'),
      }),
    },
    async (request, reply) => {
      const business = await findBusinessOr404(request, request.params.id);
      const did = normalizeDid(request.params.did, deps.defaultCountry);
      const removed = did ? await request.em.nativeDelete(BusinessDid, { did, businessId: business.id }) : 0;
      if (removed === 0) throw new ApiError(404, 'did_not_found', 'This business has no such number.');
      deps.hoursChanged();
      return reply.status(204).send();
    },
  );

  app.get<{ Params: { id: string }; Querystring: { list?: 'allow' | 'block' } }>(
    '/businesses/:id/caller-list',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: 'Numbers this business always lets through (allow) or never engages (block).',
        params: businessIdParams,
        querystring: { type: 'object', properties: { list: { type: 'string', enum: ['allow', 'block'] } }, additionalProperties: false },
        response: { 200: { type: 'array', items: listEntrySchema } },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const where = request.query.list ? { businessId: business.id, list: request.query.list } : { businessId: business.id };
      const rows = await request.em.find(CallerListEntry, where, { orderBy: { createdAt: 'asc' } });
      return rows.map(toApiEntry);
    },
  );

  app.put<{ Params: { id: string; phone: string }; Body: { list: 'allow' | 'block'; note?: string | null } }>(
    '/businesses/:id/caller-list/:phone',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description: 'Puts a number on the allow or the block list (replacing any earlier entry for it).',
        params: withNumber('phone'),
        body: {
          type: 'object',
          properties: { list: { type: 'string', enum: ['allow', 'block'] }, note: { type: ['string', 'null'], maxLength: 200 } },
          required: ['list'],
          additionalProperties: false,
        },
        response: { 200: listEntrySchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const caller = readCallerNumber(request.params.phone, deps.defaultCountry);
      if (caller.kind !== 'valid') throw new ApiError(400, 'invalid_phone', 'Give a valid phone number, e.g. +14155550100.');
      const existing = await request.em.findOne(CallerListEntry, { businessId: business.id, phoneE164: caller.e164 });
      const entry =
        existing ??
        Object.assign(new CallerListEntry(), { id: randomUUID(), businessId: business.id, phoneE164: caller.e164, createdAt: new Date() });
      entry.list = request.body.list;
      entry.note = request.body.note ? sanitizeText(request.body.note, 200) : null;
      await request.em.persistAndFlush(entry);
      return toApiEntry(entry);
    },
  );

  app.delete<{ Params: { id: string; phone: string } }>(
    '/businesses/:id/caller-list/:phone',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({ description: 'Takes a number off the lists.', params: withNumber('phone') }),
    },
    async (request, reply) => {
      const business = await findBusinessOr404(request, request.params.id);
      const caller = readCallerNumber(request.params.phone, deps.defaultCountry);
      const removed =
        caller.kind === 'valid' ? await request.em.nativeDelete(CallerListEntry, { businessId: business.id, phoneE164: caller.e164 }) : 0;
      if (removed === 0) throw new ApiError(404, 'caller_not_listed', 'This number is on neither list.');
      return reply.status(204).send();
    },
  );
}

function toApiEntry(entry: CallerListEntry) {
  return { phone: entry.phoneE164, list: entry.list, note: entry.note ?? null, created_at: entry.createdAt.toISOString() };
}
