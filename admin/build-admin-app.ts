import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Database, EntityManager } from '../core/db/database.js';
import type { Logger } from '../core/logging.js';
import type { RecordingStore } from '../core/recordings/recording-store.js';
import { assertRoutePermission, permissionsFromScopes, type Principal } from './auth/access.js';
import { findActiveKey } from './auth/api-keys.js';
import { ApiError, registerErrorHandling } from './errors.js';
import { registerCallbackRoutes } from './routes/callbacks.js';
import { registerBusinessHolidayRoutes } from './routes/business-holidays.js';
import { registerBusinessHoursRoutes } from './routes/business-hours.js';
import { registerBusinessNumberRoutes } from './routes/business-numbers.js';
import { registerBusinessRoutes } from './routes/businesses.js';
import { registerCallRoutes } from './routes/calls.js';
import { registerComplianceRoutes } from './routes/compliance.js';
import { registerConsentRoutes } from './routes/consents.js';
import { registerHealthRoutes, type HealthProbe } from './routes/health.js';
import { registerOutboxRoutes } from './routes/outbox.js';
import { registerTemplateRoutes } from './routes/templates.js';
import { registerVoicemailRoutes } from './routes/voicemails.js';
import { registerStaffAlertRoutes } from './routes/staff-alerts.js';
import { registerMetricsRoutes } from './routes/metrics.js';

export interface AdminDeps {
  db: Database;
  recordings: RecordingStore;
  health: HealthProbe;
  logger: Logger;
  /** Told after hours, holidays or a business's zone change (the ARI side republishes open/closed). */
  hoursChanged?: () => void;
  /** The time "open now?" is answered for; tests set it. */
  now?: () => Date;
  /** Country for numbers given without a country code (DEFAULT_COUNTRY). */
  defaultCountry?: string;
  /** Sender id staff texts go from when a business has none (SMPP_SOURCE_ADDR): a resent alert text. */
  defaultSenderId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** One EntityManager per request (a unit of work never shared between requests). */
    em: EntityManager;
    /** Who is asking (admin/auth/access.ts); set by authentication on /api routes. */
    principal: Principal | null;
  }
}

/**
 * The admin service as a function of its dependencies: tests build it and call
 * `app.inject`, `mcr start` builds it and listens. Nothing here listens itself.
 */
export async function buildAdminApp(deps: AdminDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ part: 'admin' }) as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { removeAdditional: true, coerceTypes: 'array', allErrors: false } },
  });
  registerErrorHandling(app);
  app.decorateRequest('em', null as unknown as EntityManager);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    request.em = deps.db.fork();
  });

  // The OpenAPI document is generated from the route schemas below.
  await app.register(swagger, {
    openapi: {
      info: { title: 'missed-call-recovery admin API', version: '0.1.0' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await registerHealthRoutes(app, deps.health);
  await app.register(
    async (api) => {
      // The OpenAPI document tells integrators which permission each route needs.
      api.addHook('onRoute', (route) => {
        const schema = route.schema as { description?: string } | undefined;
        // (Called again for the HEAD twin of each GET, with the same schema object.)
        if (schema && !schema.description?.includes('permission.'))
          schema.description = `${schema.description ?? ''} Needs the \`${route.config?.permission ?? 'admin'}\` permission.`.trim();
      });
      api.addHook('onRequest', async (request) => {
        await authenticate(request);
        assertRoutePermission(request);
      });
      await registerCallbackRoutes(api);
      await registerCallRoutes(api);
      await registerConsentRoutes(api, deps.recordings);
      const hoursDeps = { hoursChanged: deps.hoursChanged ?? (() => {}), now: deps.now ?? (() => new Date()) };
      await registerBusinessRoutes(api, hoursDeps);
      await registerBusinessHoursRoutes(api, hoursDeps);
      await registerBusinessHolidayRoutes(api, hoursDeps);
      await registerBusinessNumberRoutes(api, { ...hoursDeps, defaultCountry: deps.defaultCountry ?? 'US' });
      await registerOutboxRoutes(api, { defaultCountry: deps.defaultCountry ?? 'US' });
      await registerComplianceRoutes(api, { defaultCountry: deps.defaultCountry ?? 'US' });
      await registerTemplateRoutes(api);
      // issue 8: staff alerts, voicemail, metrics and reports
      await registerVoicemailRoutes(api, deps.recordings);
      await registerStaffAlertRoutes(api, { defaultSenderId: deps.defaultSenderId ?? 'MCR', now: deps.now ?? (() => new Date()) });
      await registerMetricsRoutes(api, { now: deps.now ?? (() => new Date()) });
    },
    { prefix: '/api' },
  );
  return app;
}

async function authenticate(request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  const presented = header?.startsWith('Bearer ')
    ? header.slice('Bearer '.length).trim()
    : (request.headers['x-api-key'] as string | undefined);
  if (!presented) throw new ApiError(401, 'unauthenticated', 'Send an API key as `Authorization: Bearer <key>`.');
  const key = await findActiveKey(request.em, presented);
  if (!key) throw new ApiError(401, 'unauthenticated', 'The API key is not valid.');
  const scopes = key.scopes.split(' ').filter(Boolean);
  request.principal = {
    kind: 'api_key',
    id: key.id,
    name: key.name,
    permissions: permissionsFromScopes(scopes),
    businessIds: key.businessId ? [key.businessId] : null,
  };
}
