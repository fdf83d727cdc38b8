import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entitySchemas } from '../entities/index.js';
import { migrationsList } from '../../migrations/index.js';
import { redactUrl } from '../config/load-config.js';
import type { Logger } from '../logging.js';

export type { EntityManager };

export interface Database {
  orm: MikroORM;
  /** `embedded` (PGlite in a folder or in memory) or `server` (a PostgreSQL URL). */
  kind: 'embedded' | 'server';
  /** Where the data lives, safe to print (no password). */
  location: string;
  /** A fresh EntityManager for one unit of work (one ARI event, one PDU, ...). */
  fork(): EntityManager;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL server URL; absent means the embedded database. */
  url?: string;
  /** Folder of the embedded database, or `memory://` for a throwaway one (tests). */
  embeddedDir?: string;
  logger?: Logger;
  poolMax?: number;
}

/**
 * Opens the database the configuration names. Without a URL we run PGlite (the
 * real PostgreSQL compiled to WASM) and serve it on a loopback port through
 * pglite-socket, so the product talks to both through the same `pg` driver and
 * the same SQL: one dialect, one set of migrations.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) {
    const orm = await initOrm(options.url, options.poolMax ?? 10, options.logger);
    return wrap(orm, 'server', redactUrl(options.url), async () => orm.close(true));
  }

  const dir = options.embeddedDir ?? './data/pgdata';
  if (!dir.startsWith('memory://')) await mkdir(path.resolve(dir), { recursive: true });
  const pglite = await PGlite.create(dir.startsWith('memory://') ? undefined : path.resolve(dir));
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  // PGlite is single-connection: one pooled connection, and every unit of work
  // must use its own transaction's EntityManager (never a second connection).
  const orm = await initOrm(url, 1, options.logger);
  return wrap(orm, 'embedded', dir.startsWith('memory://') ? 'in memory' : path.resolve(dir), async () => {
    await orm.close(true);
    await server.stop();
    await pglite.close();
  });
}

async function initOrm(clientUrl: string, poolMax: number, logger?: Logger): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl,
    entities: entitySchemas,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false },
    pool: { min: 0, max: poolMax },
    // Unit-of-work isolation is explicit (em.fork per event); the global context would hide bugs.
    allowGlobalContext: false,
    debug: false,
    logger: (message) => logger?.debug({ orm: true }, message),
    ensureDatabase: false,
  });
}

function wrap(orm: MikroORM, kind: Database['kind'], location: string, close: () => Promise<void>): Database {
  return {
    orm,
    kind,
    location,
    fork: () => orm.em.fork(),
    close,
  };
}

/** Applies pending migrations; returns the names applied. Throws (never swallows) on failure. */
export async function migrate(db: Database): Promise<string[]> {
  const applied = await db.orm.getMigrator().up();
  return applied.map((m) => m.name);
}

/** True when the database answers a trivial query. Used by /healthz. */
export async function isDatabaseUp(db: Database): Promise<boolean> {
  try {
    await db.fork().getConnection().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
