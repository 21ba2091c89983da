/** Availability arithmetic: pure functions over time intervals. */

export type Interval = [Date, Date];

const MINUTE = 60_000;

/** Sorted, merged intervals clipped to [from, to]. */
export function mergeIntervals(intervals: Interval[], from: Date, to: Date): [number, number][] {
  const clipped = intervals
    .map(([a, b]): [number, number] => [Math.max(a.getTime(), from.getTime()), Math.min(b.getTime(), to.getTime())])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of clipped) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** Minutes of `down` within [from, to] that no `excluded` interval covers. */
export function downtimeMinutes(down: Interval[], excluded: Interval[], from: Date, to: Date): number {
  const d = mergeIntervals(down, from, to);
  const x = mergeIntervals(excluded, from, to);
  let total = 0;
  for (const [a, b] of d) {
    let covered = 0;
    for (const [c, e] of x) covered += Math.max(0, Math.min(b, e) - Math.max(a, c));
    total += b - a - covered;
  }
  return total / MINUTE;
}

/** First instant of a UTC month ("YYYY-MM") and of the next one. */
export function monthBounds(month: string): { from: Date; to: Date } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`"${month}" is not a month (YYYY-MM)`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return { from: new Date(Date.UTC(y, mo, 1)), to: new Date(Date.UTC(y, mo + 1, 1)) };
}

export const SLA_TARGET_PERCENT = 99.9;

/** Percentage available over a period, rounded to 3 decimals. */
export function availabilityPercent(downMinutes: number, from: Date, to: Date): number {
  const total = (to.getTime() - from.getTime()) / MINUTE;
  return Math.round((1 - downMinutes / total) * 100_000) / 1000;
}
