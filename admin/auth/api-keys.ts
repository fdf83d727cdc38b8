import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey } from '../../core/entities/index.js';
import { sha256Hex } from '../../core/hashing.js';

export const KEY_PREFIX = 'mcr_';

/** Keys are 32 random bytes, so SHA-256 (not a slow password hash) is the right store. */
export function hashApiKey(key: string): string {
  return sha256Hex(`mcr-api-key:${key}`);
}

/** Makes a new key; the plain key is returned once and never stored. */
export async function createApiKey(em: EntityManager, name: string, scopes: string[]): Promise<{ key: string; record: ApiKey }> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await storeKey(em, key, name, scopes);
  return { key, record };
}

/** Registers the ADMIN_API_KEY given by the environment (idempotent across restarts). */
export async function ensureBootstrapKey(em: EntityManager, key: string): Promise<void> {
  const keyHash = hashApiKey(key);
  if (await em.findOne(ApiKey, { keyHash })) return;
  await storeKey(em, key, 'ADMIN_API_KEY', ['admin']);
}

async function storeKey(em: EntityManager, key: string, name: string, scopes: string[]): Promise<ApiKey> {
  const record = Object.assign(new ApiKey(), {
    id: randomUUID(),
    name,
    prefix: key.slice(0, 10),
    keyHash: hashApiKey(key),
    scopes: scopes.join(' '),
    createdAt: new Date(),
  });
  await em.persistAndFlush(record);
  return record;
}

/** The active key matching a presented secret, or null. */
export async function findActiveKey(em: EntityManager, presented: string): Promise<ApiKey | null> {
  if (presented.length < 16 || presented.length > 200) return null;
  return em.findOne(ApiKey, { keyHash: hashApiKey(presented), revokedAt: null });
}
