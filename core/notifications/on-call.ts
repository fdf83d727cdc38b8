import type { EntityManager } from '../db/database.js';
import { Business, OnCallShift, StaffMember } from '../entities/index.js';
import { localDayAndMinute, weekdayIndex } from '../hours/local-time.js';
import { parseTimeOfDay } from '../hours/schedule-types.js';

export interface ShiftTimes {
  /** ISO weekdays the shift starts on, 1 = Monday. */
  days: readonly number[];
  startTime: string;
  endTime: string;
}

/**
 * Whether a shift covers an instant, read in the business's zone. A shift whose
 * end is at or before its start runs past midnight into the next day (22:00-06:00
 * on Friday covers Saturday 03:00). DST needs no care here: the wall clock is
 * what the rota is written in, and local-time.ts reads it for the instant.
 */
export function shiftCovers(shift: ShiftTimes, timeZone: string, at: Date): boolean {
  const { day, minute } = localDayAndMinute(at.getTime(), timeZone);
  const start = parseTimeOfDay(shift.startTime) ?? 0;
  const end = parseTimeOfDay(shift.endTime, true) ?? 1440;
  const isoDay = (epochDay: number) => weekdayIndex(epochDay) + 1;
  if (end > start) return shift.days.includes(isoDay(day)) && minute >= start && minute < end;
  return (shift.days.includes(isoDay(day)) && minute >= start) || (shift.days.includes(isoDay(day - 1)) && minute < end);
}

/**
 * Who is on call for a business at an instant. With a rota: the staff whose
 * shift covers it. Without one (or in a gap of the rota): staff marked
 * `on_call`; then the managers; then the business's admins, so an alert always
 * reaches somebody who can act. Disabled staff never.
 */
export async function onCallStaff(em: EntityManager, business: Business, at: Date): Promise<StaffMember[]> {
  const staff = await em.find(StaffMember, { businessId: business.id, disabledAt: null }, { orderBy: { name: 'asc', id: 'asc' } });
  const shifts = await em.find(OnCallShift, { businessId: business.id });
  if (shifts.length > 0) {
    const covering = new Set(shifts.filter((shift) => shiftCovers(shift, business.timeZone, at)).map((shift) => shift.staffMemberId));
    const onShift = await em.find(StaffMember, { id: { $in: [...covering] }, disabledAt: null }, { orderBy: { name: 'asc', id: 'asc' } });
    if (onShift.length > 0) return onShift;
  }
  const flagged = staff.filter((member) => member.onCall);
  if (flagged.length > 0) return flagged;
  const managers = staff.filter((member) => member.manager);
  if (managers.length > 0) return managers;
  return staff.filter((member) => member.role === 'admin');
}

/** The business's managers (active). */
export async function managersOf(em: EntityManager, businessId: string): Promise<StaffMember[]> {
  return em.find(StaffMember, { businessId, manager: true, disabledAt: null }, { orderBy: { name: 'asc', id: 'asc' } });
}
