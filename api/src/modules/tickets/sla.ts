/**
 * SLA clock arithmetic: pure functions over business calendars (time zone, weekly hours,
 * holidays). Time-zone conversion uses Intl.DateTimeFormat only, so daylight-saving changes
 * follow the runtime's IANA database.
 */

/** Opening hours on one ISO weekday (1 = Monday ... 7 = Sunday), local "HH:MM"; close may be "24:00". */
export interface WeeklyHours {
  day: number;
  open: string;
  close: string;
}

export interface BusinessCalendar {
  timeZone: string;
  weekly: WeeklyHours[];
  /** Local dates (YYYY-MM-DD) on which the calendar is closed all day. */
  holidays: string[];
}

/** Every day, all day: the 24/7 support add-on for critical incidents. */
export const alwaysOpen = (timeZone = 'UTC'): BusinessCalendar => ({
  timeZone,
  weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '00:00', close: '24:00' })),
  holidays: [],
});

export type SlaUnit = 'MINUTES' | 'BUSINESS_MINUTES' | 'BUSINESS_DAYS';

export interface SlaTarget {
  amount: number;
  unit: SlaUnit;
}

const MINUTE = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
}

/** The wall-clock reading of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday!]!,
  };
}

/** Offset of the zone from UTC at an instant, in ms (local = utc + offset). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(new Date(ms), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the zone's clocks read `date` `time`. A reading skipped by a
 * daylight-saving jump resolves to the same distance after the jump (02:30 -> 03:30).
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(y, m - 1, d, hh, mm);
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  return new Date(Math.max(first, second));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Open intervals of one local date, in time order. */
export function openIntervals(calendar: BusinessCalendar, date: string): [Date, Date][] {
  if (calendar.holidays.includes(date)) return [];
  const weekday = isoWeekday(date);
  return calendar.weekly
    .filter((h) => h.day === weekday)
    .map((h): [Date, Date] => [
      zonedInstant(date, h.open, calendar.timeZone),
      h.close === '24:00' ? zonedInstant(nextDate(date), '00:00', calendar.timeZone) : zonedInstant(date, h.close, calendar.timeZone),
    ])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0].getTime() - y[0].getTime());
}

const HORIZON_DAYS = 3700;

/** Open intervals from the local date of `from` onwards (ten years at most). */
function* intervalsFrom(calendar: BusinessCalendar, from: Date): Generator<[Date, Date]> {
  let date = localDate(new Date(from.getTime() - 86_400_000), calendar.timeZone);
  for (let i = 0; i < HORIZON_DAYS; i++, date = nextDate(date)) yield* openIntervals(calendar, date);
  throw new Error('the business calendar has no opening hours');
}

export function isOpen(calendar: BusinessCalendar, at: Date): boolean {
  return openIntervals(calendar, localDate(at, calendar.timeZone)).some(([a, b]) => a <= at && at < b);
}

/** The instant `minutes` of open time after `start`; with 0, the first open instant at or after `start`. */
export function addBusinessMinutes(calendar: BusinessCalendar, start: Date, minutes: number): Date {
  let left = minutes * MINUTE;
  for (const [a, b] of intervalsFrom(calendar, start)) {
    if (b <= start) continue;
    const from = a > start ? a : start;
    const available = b.getTime() - from.getTime();
    if (left <= available) return new Date(from.getTime() + left);
    left -= available;
  }
  throw new Error('unreachable');
}

/** Open minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  if (to <= from) return 0;
  let total = 0;
  for (const [a, b] of intervalsFrom(calendar, from)) {
    if (a >= to) break;
    const start = Math.max(a.getTime(), from.getTime());
    const end = Math.min(b.getTime(), to.getTime());
    if (end > start) total += end - start;
  }
  return Math.floor(total / MINUTE);
}

/**
 * `days` business days after `start`: the same local time on the days-th following open day,
 * kept inside that day's opening hours. Counting starts at the first open instant.
 */
export function addBusinessDays(calendar: BusinessCalendar, start: Date, days: number): Date {
  const begin = addBusinessMinutes(calendar, start, 0);
  const tz = calendar.timeZone;
  const p = localParts(begin, tz);
  const time = `${pad(p.hour)}:${pad(p.minute)}`;
  let date = localDate(begin, tz);
  for (let counted = 0, i = 0; counted < days; i++) {
    if (i > HORIZON_DAYS) throw new Error('the business calendar has no opening hours');
    date = nextDate(date);
    if (openIntervals(calendar, date).length) counted++;
  }
  const intervals = openIntervals(calendar, date);
  const wanted = zonedInstant(date, time, tz);
  const first = intervals[0]![0];
  const last = intervals.at(-1)![1];
  if (wanted < first) return first;
  if (wanted > last) return last;
  return wanted;
}

/** Time on the clock that a pause consumed: wall minutes and open minutes. */
export interface PausedTime {
  minutes: number;
  businessMinutes: number;
}

export const noPause: PausedTime = { minutes: 0, businessMinutes: 0 };

/** When a target measured from `start` falls due, pushed back by the time the clock was paused. */
export function dueAt(calendar: BusinessCalendar, start: Date, target: SlaTarget, paused: PausedTime = noPause): Date {
  switch (target.unit) {
    case 'MINUTES':
      return new Date(start.getTime() + (target.amount + paused.minutes) * MINUTE);
    case 'BUSINESS_MINUTES':
      return addBusinessMinutes(calendar, start, target.amount + paused.businessMinutes);
    case 'BUSINESS_DAYS':
      return addBusinessMinutes(calendar, addBusinessDays(calendar, start, target.amount), paused.businessMinutes);
  }
}

/** How much of each clock a pause from `from` to `to` used. */
export function pauseLength(calendar: BusinessCalendar, from: Date, to: Date): PausedTime {
  return {
    minutes: Math.max(0, Math.floor((to.getTime() - from.getTime()) / MINUTE)),
    businessMinutes: businessMinutesBetween(calendar, from, to),
  };
}

/** What the policy says about one severity (or one change-request urgency). */
export interface SeverityRule {
  /** Taken outside business hours: its clock starts at once instead of at the next opening. */
  takenOutsideHours: boolean;
  /** Uses the critical calendar (weekend reviews, the 24/7 add-on). */
  critical: boolean;
  response: SlaTarget | null;
  /** Response target when filed outside business hours; `response` when null. */
  responseOutsideHours: SlaTarget | null;
  resolution: SlaTarget | null;
}

export interface SlaClocks {
  clockStartedAt: Date;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  filedOutsideHours: boolean;
}

/**
 * Due times of a ticket filed at `filedAt` under `rule` and `calendar`, pushed back by any pause.
 * Outside business hours only rules taken outside hours start at once; the others start at the
 * calendar's next opening.
 */
export function slaClocks(calendar: BusinessCalendar, rule: SeverityRule, filedAt: Date, paused: PausedTime = noPause): SlaClocks {
  const open = isOpen(calendar, filedAt);
  const clockStartedAt = open || rule.takenOutsideHours ? filedAt : addBusinessMinutes(calendar, filedAt, 0);
  const response = !open && rule.responseOutsideHours ? rule.responseOutsideHours : rule.response;
  return {
    clockStartedAt,
    filedOutsideHours: !open,
    responseDueAt: response ? dueAt(calendar, clockStartedAt, response, paused) : null,
    resolutionDueAt: rule.resolution ? dueAt(calendar, clockStartedAt, rule.resolution, paused) : null,
  };
}
