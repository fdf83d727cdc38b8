import { EntitySchema } from '@mikro-orm/core';

/** An API key; only its SHA-256 is stored (keys are 32 random bytes, so a fast hash is enough). */
export class ApiKey {
  id!: string;
  name!: string;
  /** The first characters of the key, shown in lists so an admin can tell keys apart. */
  prefix!: string;
  keyHash!: string;
  /** Space-separated scopes; `admin` grants everything. */
  scopes!: string;
  /** A key for one business only sees that business; null: every business. */
  businessId?: string | null;
  createdAt!: Date;
  lastUsedAt?: Date | null;
  revokedAt?: Date | null;
}

export const ApiKeySchema = new EntitySchema<ApiKey>({
  class: ApiKey,
  tableName: 'api_key',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'string' },
    prefix: { type: 'string' },
    keyHash: { type: 'string', unique: true },
    scopes: { type: 'string' },
    businessId: { type: 'uuid', nullable: true },
    createdAt: { type: 'Date' },
    lastUsedAt: { type: 'Date', nullable: true },
    revokedAt: { type: 'Date', nullable: true },
  },
});
