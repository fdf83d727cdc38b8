import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121000000Initial } from './Migration20261121000000Initial.js';
import { Migration20261121110000BusinessHours } from './Migration20261121110000BusinessHours.js';
import { Migration20261121120000ConsentPurge } from './Migration20261121120000ConsentPurge.js';
import { Migration20261121130000CallScreening } from './Migration20261121130000CallScreening.js';

/**
 * Migrations listed explicitly (not globbed from disk) so the same list runs from
 * the TypeScript sources under vitest and from the compiled dist/. Keep it in
 * name (= time) order: a new database applies them in this order.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261121000000Initial', class: Migration20261121000000Initial },
  { name: 'Migration20261121110000BusinessHours', class: Migration20261121110000BusinessHours },
  { name: 'Migration20261121120000ConsentPurge', class: Migration20261121120000ConsentPurge },
  { name: 'Migration20261121130000CallScreening', class: Migration20261121130000CallScreening },
];
