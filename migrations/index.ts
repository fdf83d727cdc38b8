import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121000000Initial } from './Migration20261121000000Initial.js';

/**
 * Migrations listed explicitly (not globbed from disk) so the same list runs from
 * the TypeScript sources under vitest and from the compiled dist/.
 */
export const migrationsList: MigrationObject[] = [{ name: 'Migration20261121000000Initial', class: Migration20261121000000Initial }];
