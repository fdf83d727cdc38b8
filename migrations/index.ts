import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121000000Initial } from './Migration20261121000000Initial.js';
import { Migration20261121110000BusinessHours } from './Migration20261121110000BusinessHours.js';
import { Migration20261121120000ConsentPurge } from './Migration20261121120000ConsentPurge.js';
import { Migration20261121130000CallScreening } from './Migration20261121130000CallScreening.js';
import { Migration20261121140000SmppParts } from './Migration20261121140000SmppParts.js';
import { Migration20261121150000InboundParts } from './Migration20261121150000InboundParts.js';
import { Migration20261121160000ComplianceTemplates } from './Migration20261121160000ComplianceTemplates.js';
import { Migration20261121170000HotPathIndexes } from './Migration20261121170000HotPathIndexes.js';
import { Migration20261121175000IntegrationEvents } from './Migration20261121175000IntegrationEvents.js';
import { Migration20261205400000StaffAlerts } from './Migration20261205400000StaffAlerts.js';

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
  { name: 'Migration20261121140000SmppParts', class: Migration20261121140000SmppParts },
  { name: 'Migration20261121150000InboundParts', class: Migration20261121150000InboundParts },
  { name: 'Migration20261121160000ComplianceTemplates', class: Migration20261121160000ComplianceTemplates },
  { name: 'Migration20261121170000HotPathIndexes', class: Migration20261121170000HotPathIndexes },
  { name: 'Migration20261121175000IntegrationEvents', class: Migration20261121175000IntegrationEvents },
  { name: 'Migration20261205400000StaffAlerts', class: Migration20261205400000StaffAlerts },
];
