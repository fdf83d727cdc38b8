import { EntitySchema } from '@mikro-orm/core';

/**
 * A setting every instance must read the same way, kept in the database
 * (`quiet_hours`: the gate reads it inside the transaction that claims a text).
 */
export class AppSetting {
  key!: string;
  value!: string;
  updatedAt!: Date;
}

export const AppSettingSchema = new EntitySchema<AppSetting>({
  class: AppSetting,
  tableName: 'app_setting',
  properties: {
    key: { type: 'string', primary: true },
    value: { type: 'string' },
    updatedAt: { type: 'Date' },
  },
});
