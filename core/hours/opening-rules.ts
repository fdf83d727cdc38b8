import { WEEKDAYS, type Holiday, type WeeklySchedule } from './schedule-types.js';

/** Everything needed to say whether one business is open: its zone, week and holidays. */
export interface OpeningRules {
  timeZone: string;
  /** The week that applies: the stored one, or open around the clock while none is stored. */
  schedule: WeeklySchedule;
  holidays: Holiday[];
  /** False while the business has no weekly hours stored. */
  hoursSet: boolean;
}

const AROUND_THE_CLOCK: WeeklySchedule = WEEKDAYS.map((day) => ({ day, open: '00:00', close: '24:00' }));

/**
 * A business nobody has given hours yet is treated as always open (holidays
 * still close it): before this feature every call rang reception, and an
 * install or upgrade must not start sending every caller to the after-hours
 * path just because the week is still blank.
 */
export function openingRules(timeZone: string, storedWeek: WeeklySchedule, holidays: Holiday[]): OpeningRules {
  const hoursSet = storedWeek.length > 0;
  return { timeZone, schedule: hoursSet ? storedWeek : AROUND_THE_CLOCK, holidays, hoursSet };
}
