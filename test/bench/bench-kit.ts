/**
 * What every benchmark under test/bench needs, once: option parsing, the one percentile
 * definition, a PostgreSQL server (TEST_DATABASE_URL's, or the API's embedded one in a temporary
 * folder), a free port, cleanups that also run on Ctrl-C, and the machine line each run prints.
 *
 * Percentiles are nearest-rank everywhere: p is the smallest sample with at least p% of the
 * samples at or below it (rank ceil(p/100 * n), 1-based), so it is always a measured value and the
 * p50 of an even number of samples is the lower of the two middle ones.
 *
 * The API's modules are imported lazily here: some read the environment when they load (e.g.
 * PASSWORD_HASH_COST), which the benchmarks set first.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../api/src/testing/process.js';

export { freePort };

export const log = (message: string) => console.log(`[bench] ${message}`);

/** A numeric option from the environment: `fallback` when unset, else a number in [min, max] (whole when `whole`). */
export function numberOption(name: string, fallback: number, limits: { min: number; max?: number; whole?: boolean }): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  const { min, max = Infinity, whole = false } = limits;
  if (!Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
    throw new Error(`${name} must be a ${whole ? 'whole number' : 'number'} from ${min}${max < Infinity ? ` to ${max}` : ' up'}, got "${raw}"`);
  }
  return value;
}

/** A comma-separated list of numbers (each >= min) from the environment, or `fallback` when unset. */
export function listOption(name: string, fallback: number[], min: number): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (!values.length || values.some((v) => !Number.isFinite(v) || v < min)) throw new Error(`${name} must be numbers >= ${min}, separated by commas, got "${raw}"`);
  return values;
}

/** Nearest-rank percentile of values sorted in ascending order (NaN when there are none). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Count, nearest-rank p50/p99 and maximum of some latencies (any order). */
export function summarize(values: Iterable<number>): Latencies {
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/** Milliseconds with two decimals, or "-" when there is no value. */
export const ms = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** Cleanups, run last-in first-out by `cleanUp` (and on SIGINT/SIGTERM, after which the process exits). */
export type Cleanups = (() => Promise<unknown>)[];

export function cleanupsOnExit(): { cleanups: Cleanups; cleanUp(): Promise<void> } {
  const cleanups: Cleanups = [];
  const cleanUp = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch((err) => console.error('[bench] cleanup:', err));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  return { cleanups, cleanUp };
}

/** TEST_DATABASE_URL's (or DATABASE_URL's) server, else the API's embedded PostgreSQL in a temporary folder. */
export async function providePostgres(cleanups: Cleanups): Promise<{ url: string; where: string }> {
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (given) return { url: given, where: process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'DATABASE_URL' };
  const { startEmbeddedPostgres } = await import('../../api/src/platform/db/embedded.js');
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-pg-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true })); // an interrupted run leaves no folder behind
  const quiet = { info() {}, debug() {}, warn() {} };
  const db = await startEmbeddedPostgres(dir, await freePort(), quiet, 'postgres');
  cleanups.push(() => db.stop());
  return { url: db.url, where: `embedded, in ${dir}` };
}

/** "2 CPUs (model), 8 GiB, linux/x64, node v22...": printed by every run, since figures mean little without it. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} CPUs (${cpu[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}/${process.arch}, node ${process.version}`;
}
