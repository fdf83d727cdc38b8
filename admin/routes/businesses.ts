import type { FastifyInstance } from 'fastify';
import { Business, BusinessDid } from '../../core/entities/index.js';
import { normalizeTimeZone } from '../../core/hours/time-zone.js';
import { readCallerNumber, sanitizeText } from '../../core/phone.js';
import { ApiError, errorResponseSchema } from '../errors.js';
import { decodeCursor, encodeCursor, pageQuerySchema } from '../pagination.js';
import { routeSchema } from '../route-schema.js';
import { visibleBusinessIds } from '../auth/access.js';
import { businessIdParams, findBusinessOr404, type HoursRouteDeps } from './hours-schemas.js';

interface BusinessPatch {
  name?: string;
  time_zone?: string;
  contact_phone?: string | null;
}

const businessSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    time_zone: { type: 'string', description: 'IANA zone its hours and holidays are read in.' },
    contact_phone: { type: ['string', 'null'], description: 'E.164.' },
    consent_mode: { type: 'string' },
    is_default: { type: 'boolean', description: 'The business for numbers no business claims.' },
    dids: { type: 'array', items: { type: 'string' }, description: 'Numbers (as dialled) that belong to it.' },
    created_at: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'name', 'time_zone', 'contact_phone', 'consent_mode', 'is_default', 'dids', 'created_at'],
} as const;

export async function registerBusinessRoutes(app: FastifyInstance, deps: HoursRouteDeps): Promise<void> {
  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/businesses',
    {
      config: { permission: 'settings:read' },
      schema: routeSchema({
        description: 'Every business, oldest first, with the numbers that belong to it.',
        querystring: { type: 'object', properties: { ...pageQuerySchema }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: businessSchema }, next_cursor: { type: ['string', 'null'] } },
            required: ['items', 'next_cursor'],
          },
        },
      }),
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, 2) as [string, string] | null;
      const visible = visibleBusinessIds(request);
      const where = {
        ...(visible === null ? {} : { id: { $in: [...visible] } }),
        ...(after ? { $or: [{ createdAt: { $gt: new Date(after[0]) } }, { createdAt: new Date(after[0]), id: { $gt: after[1] } }] } : {}),
      };
      const rows = await request.em.find(Business, where, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: limit + 1 });
      const page = rows.slice(0, limit);
      const dids = await request.em.find(BusinessDid, { businessId: { $in: page.map((b) => b.id) } }, { orderBy: { did: 'asc' } });
      const last = page.at(-1);
      return {
        items: page.map((business) =>
          toApiBusiness(
            business,
            dids.filter((d) => d.businessId === business.id).map((d) => d.did),
          ),
        ),
        next_cursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    },
  );

  app.patch<{ Params: { id: string }; Body: BusinessPatch }>(
    '/businesses/:id',
    {
      config: { permission: 'settings:write' },
      schema: routeSchema({
        description:
          'Changes the name, the time zone (an IANA name such as America/New_York; fixed offsets are refused) or the contact phone (E.164, or null). Only the fields sent change.',
        params: businessIdParams,
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 80 },
            time_zone: { type: 'string', minLength: 1, maxLength: 64 },
            contact_phone: { type: ['string', 'null'], maxLength: 32 },
          },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: businessSchema, 400: errorResponseSchema, 404: errorResponseSchema },
      }),
    },
    async (request) => {
      const business = await findBusinessOr404(request, request.params.id);
      const patch = request.body;
      if (patch.name !== undefined) {
        const name = sanitizeText(patch.name, 80).trim();
        if (!name) throw new ApiError(400, 'invalid_name', 'The name must have at least one visible character.');
        business.name = name;
      }
      if (patch.time_zone !== undefined) {
        const zone = normalizeTimeZone(patch.time_zone);
        if (!zone) throw new ApiError(400, 'invalid_time_zone', 'time_zone must be an IANA zone name such as America/New_York.');
        business.timeZone = zone;
      }
      if (patch.contact_phone !== undefined) business.contactPhone = contactPhone(patch.contact_phone);
      await request.em.flush();
      // The zone decides when hours apply; a name change costs the publisher nothing.
      deps.hoursChanged();
      const dids = await request.em.find(BusinessDid, { businessId: business.id }, { orderBy: { did: 'asc' } });
      return toApiBusiness(
        business,
        dids.map((d) => d.did),
      );
    },
  );
}

/** A number people can call back: E.164 only, so no default country has to be guessed. */
function contactPhone(value: string | null): string | null {
  if (value === null) return null;
  const number = readCallerNumber(value, 'US');
  if (!value.trim().startsWith('+') || number.kind !== 'valid') {
    throw new ApiError(400, 'invalid_phone', 'contact_phone must be a valid number in E.164 form, e.g. +12125550100, or null.');
  }
  return number.e164;
}

function toApiBusiness(business: Business, dids: string[]) {
  return {
    id: business.id,
    name: business.name,
    time_zone: business.timeZone,
    contact_phone: business.contactPhone ?? null,
    consent_mode: business.consentMode,
    is_default: business.isDefault,
    dids,
    created_at: business.createdAt.toISOString(),
  };
}
