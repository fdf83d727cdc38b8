import { EntitySchema } from '@mikro-orm/core';

// Times are PostgreSQL `time` columns read as strings ('09:00:00'); dates are
// `date` columns read as 'YYYY-MM-DD' (the driver leaves them as text), so no
// JS Date ever shifts them by the server's zone. core/hours/hours-store.ts
// converts to the `HH:MM` the rest of the app uses.

export class BusinessHours {
  id!: string;
  businessId!: string;
  /** ISO: 1 = Monday ... 7 = Sunday. */
  dayOfWeek!: number;
  openTime!: string;
  closeTime!: string;
  endsNextDay: boolean = false;
}

export const BusinessHoursSchema = new EntitySchema<BusinessHours>({
  class: BusinessHours,
  tableName: 'business_hours',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    dayOfWeek: { type: 'smallint' },
    openTime: { type: 'string', columnType: 'time' },
    closeTime: { type: 'string', columnType: 'time' },
    endsNextDay: { type: 'boolean' },
  },
});

export class BusinessHoliday {
  id!: string;
  businessId!: string;
  date!: string;
  name?: string | null;
  createdAt: Date = new Date();
}

export const BusinessHolidaySchema = new EntitySchema<BusinessHoliday>({
  class: BusinessHoliday,
  tableName: 'business_holiday',
  properties: {
    id: { type: 'uuid', primary: true },
    businessId: { type: 'uuid' },
    date: { type: 'string', columnType: 'date' },
    name: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
  },
});

export class BusinessHolidayHours {
  id!: string;
  holidayId!: string;
  openTime!: string;
  closeTime!: string;
  endsNextDay: boolean = false;
}

export const BusinessHolidayHoursSchema = new EntitySchema<BusinessHolidayHours>({
  class: BusinessHolidayHours,
  tableName: 'business_holiday_hours',
  properties: {
    id: { type: 'uuid', primary: true },
    holidayId: { type: 'uuid' },
    openTime: { type: 'string', columnType: 'time' },
    closeTime: { type: 'string', columnType: 'time' },
    endsNextDay: { type: 'boolean' },
  },
});
