import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApiKey } from '../../admin/auth/api-keys.js';
import { buildAdminApp } from '../../admin/build-admin-app.js';
import { ensureDefaultBusiness } from '../../core/businesses/business-directory.js';
import type { Database } from '../../core/db/database.js';
import { createLogger } from '../../core/logging.js';
import { RecordingStore } from '../../core/recordings/recording-store.js';

export interface AdminTestApp {
  app: FastifyInstance;
  businessId: string;
  /** A request with the admin key. */
  call(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** A request with a key of the given scopes. */
  callAs(scopes: string[], options: InjectOptions): Promise<LightMyRequestResponse>;
}

/** The admin app on a test database, with the default business and an admin key. */
export async function buildAdminTestApp(db: Database): Promise<AdminTestApp> {
  const app = await buildAdminApp({
    db,
    recordings: new RecordingStore('/nonexistent'),
    health: { database: async () => 'up', ari: () => 'off', ami: () => 'off', smpp: () => 'off' },
    logger: createLogger('silent'),
    defaultCountry: 'US',
  });
  const businessId = (await ensureDefaultBusiness(db.fork(), 'Acme Plumbing')).id;
  const keys = new Map<string, string>();
  const keyFor = async (scopes: string[]) => {
    const name = scopes.join(' ');
    let key = keys.get(name);
    if (!key) {
      key = (await createApiKey(db.fork(), `test ${name}`, scopes)).key;
      keys.set(name, key);
    }
    return key;
  };
  const callAs = async (scopes: string[], options: InjectOptions) =>
    app.inject({ ...options, headers: { authorization: `Bearer ${await keyFor(scopes)}`, ...options.headers } });
  return { app, businessId, callAs, call: (options) => callAs(['admin'], options) };
}
