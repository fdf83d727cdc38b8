/**
 * Opening hours and holidays in the database: the single source of truth the
 * admin API edits and the open-state publisher reads.
 */
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Business, BusinessHoliday, BusinessHolidayHours, BusinessHours } from '../entities/index.js';
import { openingRules, type OpeningRules } from './opening-rules.js';
import { WEEKDAYS, type Holiday, type TimeRange, type WeeklyRange, type WeeklySchedule } from './schedule-types.js';

export interface StoredHoliday extends Holiday {
  id: string;
  name: string | null;
}

export interface NewHoliday {
  date: string;
  name: string | null;
  ranges: readonly TimeRange[];
}

/** Another holiday already sits on that date for that business. */
export class HolidayExistsError extends Error {}

/** PostgreSQL reads `time` back as HH:MM:SS; the app speaks HH:MM. */
const hhmm = (time: string): string => time.slice(0, 5);
const byOpenTime = (a: { openTime: string }, b: { openTime: string }): number => a.openTime.localeCompare(b.openTime);

export async function loadWeeklySchedule(em: EntityManager, businessId: string): Promise<WeeklyRange[]> {
  const rows = await em.find(BusinessHours, { businessId }, { orderBy: [{ dayOfWeek: 'asc' }, { openTime: 'asc' }] });
  return rows.map(toWeeklyRange);
}

/** Replaces the whole week in one transaction: readers see the old week or the new one, never a mix. */
export async function replaceWeeklySchedule(em: EntityManager, businessId: string, schedule: WeeklySchedule): Promise<void> {
  await em.transactional(async (tx) => {
    await tx.nativeDelete(BusinessHours, { businessId });
    for (const range of schedule) {
      tx.persist(
        Object.assign(new BusinessHours(), {
          id: randomUUID(),
          businessId,
          dayOfWeek: WEEKDAYS.indexOf(range.day) + 1,
          openTime: range.open,
          closeTime: range.close,
          endsNextDay: range.endsNextDay ?? false,
        }),
      );
    }
    await tx.flush();
  });
}

/** Holidays on or after `fromDate` (YYYY-MM-DD; all when absent), by date. */
export async function listHolidays(em: EntityManager, businessId: string, fromDate?: string, toDate?: string): Promise<StoredHoliday[]> {
  const date: Record<string, string> = {};
  if (fromDate) date.$gte = fromDate;
  if (toDate) date.$lte = toDate;
  const holidays = await em.find(BusinessHoliday, Object.keys(date).length > 0 ? { businessId, date } : { businessId }, {
    orderBy: { date: 'asc' },
  });
  return withRanges(em, holidays);
}

export async function addHoliday(em: EntityManager, businessId: string, input: NewHoliday): Promise<StoredHoliday> {
  const holiday = Object.assign(new BusinessHoliday(), {
    id: randomUUID(),
    businessId,
    date: input.date,
    name: input.name,
    createdAt: new Date(),
  });
  try {
    await em.transactional(async (tx) => {
      // The entities carry plain ids, not relations, so the ORM cannot order
      // the inserts for the foreign key: the holiday goes in first, on its own.
      await tx.persistAndFlush(holiday);
      for (const range of input.ranges) {
        tx.persist(
          Object.assign(new BusinessHolidayHours(), {
            id: randomUUID(),
            holidayId: holiday.id,
            openTime: range.open,
            closeTime: range.close,
            endsNextDay: range.endsNextDay ?? false,
          }),
        );
      }
      await tx.flush();
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw new HolidayExistsError(`a holiday is already set for ${input.date}`);
    throw err;
  }
  return {
    id: holiday.id,
    date: input.date,
    name: input.name,
    ranges: input.ranges.map((r) => ({ ...r, endsNextDay: r.endsNextDay ?? false })),
  };
}

/** True when the holiday existed (for that business) and is gone now. */
export async function deleteHoliday(em: EntityManager, businessId: string, holidayId: string): Promise<boolean> {
  return (await em.nativeDelete(BusinessHoliday, { id: holidayId, businessId })) > 0;
}

/** One business's rules, with the holidays that can still matter from `since` on. */
export async function loadOpeningRules(em: EntityManager, business: Business, since: Date): Promise<OpeningRules> {
  const week = await loadWeeklySchedule(em, business.id);
  const holidays = await listHolidays(em, business.id, holidayWindowStart(since));
  return openingRules(business.timeZone, week, holidays);
}

/** Every business with its rules, in three queries, for the publisher. */
export async function loadAllOpeningRules(em: EntityManager, since: Date): Promise<{ business: Business; rules: OpeningRules }[]> {
  const businesses = await em.find(Business, {}, { orderBy: { createdAt: 'asc' } });
  const hours = await em.find(BusinessHours, {}, { orderBy: [{ dayOfWeek: 'asc' }, { openTime: 'asc' }] });
  const holidayRows = await em.find(BusinessHoliday, { date: { $gte: holidayWindowStart(since) } }, { orderBy: { date: 'asc' } });
  const holidays = await withRanges(em, holidayRows);
  return businesses.map((business) => {
    const week = hours.filter((row) => row.businessId === business.id).map(toWeeklyRange);
    const own = holidays.filter((_, i) => holidayRows[i]?.businessId === business.id);
    return { business, rules: openingRules(business.timeZone, week, own) };
  });
}

/**
 * The first holiday date that can still matter: the local date anywhere on
 * Earth is at most a day behind UTC's, and yesterday's hours can reach into
 * today, so two days back is always enough.
 */
function holidayWindowStart(since: Date): string {
  return new Date(since.getTime() - 2 * 86_400_000).toISOString().slice(0, 10);
}

async function withRanges(em: EntityManager, holidays: BusinessHoliday[]): Promise<StoredHoliday[]> {
  if (holidays.length === 0) return [];
  const ranges = await em.find(BusinessHolidayHours, { holidayId: { $in: holidays.map((h) => h.id) } });
  return holidays.map((holiday) => ({
    id: holiday.id,
    date: holiday.date,
    name: holiday.name ?? null,
    ranges: ranges
      .filter((range) => range.holidayId === holiday.id)
      .sort(byOpenTime)
      .map((range) => ({ open: hhmm(range.openTime), close: hhmm(range.closeTime), endsNextDay: range.endsNextDay })),
  }));
}

function toWeeklyRange(row: BusinessHours): WeeklyRange {
  const day = WEEKDAYS[row.dayOfWeek - 1];
  if (!day) throw new Error(`business_hours ${row.id} has day_of_week ${row.dayOfWeek}`);
  return { day, open: hhmm(row.openTime), close: hhmm(row.closeTime), endsNextDay: row.endsNextDay };
}
