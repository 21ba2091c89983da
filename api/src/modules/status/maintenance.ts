import { localDate, openIntervals, type BusinessCalendar } from '../tickets/sla.js';

const DAY = 86_400_000;

/** True when [start, end] lies inside one weekly maintenance window (in the windows' time zone). */
export function insideWeeklyWindow(windows: BusinessCalendar, start: Date, end: Date): boolean {
  const day = localDate(start, windows.timeZone);
  const before = localDate(new Date(start.getTime() - DAY), windows.timeZone);
  const calendar = { ...windows, holidays: [] };
  return [...openIntervals(calendar, before), ...openIntervals(calendar, day)].some(([a, b]) => a <= start && end <= b);
}

export type MaintenanceCheck =
  | { accepted: true; inWindow: boolean }
  | { accepted: false; inWindow: false; reason: string };

/**
 * Maintenance inside the weekly windows needs nothing more; outside them it needs written notice
 * to TECHNICAL contacts at least `noticeDays` days ahead (Ubity 4.2).
 */
export function checkMaintenance(windows: BusinessCalendar, noticeDays: number, now: Date, start: Date, end: Date): MaintenanceCheck {
  if (insideWeeklyWindow(windows, start, end)) return { accepted: true, inWindow: true };
  const notice = start.getTime() - now.getTime();
  if (notice >= noticeDays * DAY) return { accepted: true, inWindow: false };
  const days = Math.floor((notice / DAY) * 10) / 10;
  return {
    accepted: false,
    inWindow: false,
    reason: `Maintenance outside the weekly windows needs ${noticeDays} days' notice to technical contacts; this one starts in ${days} days`,
  };
}
