import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../core/config/load-config.js';

export interface ScratchDatabase {
  /** URL of the new database (same server and credentials). */
  url: string;
  name: string;
  /** Server address, safe to print. */
  where: string;
  drop(): Promise<void>;
}

/**
 * A database of our own on the server DATABASE_URL names, so the bench never
 * writes a million rows into someone's tables: created empty (the app migrates
 * it), dropped at the end.
 */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `mcr_bench_${randomBytes(4).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const where = redactUrl(serverUrl);
  return {
    url: url.toString(),
    name,
    where,
    drop: () => withClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
