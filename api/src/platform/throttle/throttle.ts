import type { App } from '../context.js';
import { AppError, ErrorCode } from '../errors.js';

/**
 * A limit on how often something may happen for one key: `limit` hits per `windowSeconds`; the
 * hit over the limit starts a block of `blockSeconds`, doubled at each further strike up to
 * `maxBlockSeconds` (the same when unset). Strikes are forgotten after a quiet `maxBlockSeconds`
 * past the last block, so a real user is never locked out for long once an attack stops.
 */
export interface ThrottleRule {
  limit: number;
  windowSeconds: number;
  blockSeconds: number;
  maxBlockSeconds?: number;
}

export interface ThrottleVerdict {
  allowed: boolean;
  /** Seconds until the key may try again; 0 when allowed. */
  retryAfterSeconds: number;
}

/** Keys are namespaced (`signin:account:...`); long parts are cut so a key fits its column. */
export function throttleKey(...parts: string[]): string {
  return parts.join(':').slice(0, 200);
}

/**
 * Counts one hit for `key` and says whether it is allowed. Shared by every API instance through
 * the database (one statement: the `throttle_take` function, row-locked per key). A rule with
 * `limit` 0 turns the throttle off.
 */
export async function throttleHit(app: App, key: string, rule: ThrottleRule): Promise<ThrottleVerdict> {
  if (rule.limit <= 0) return { allowed: true, retryAfterSeconds: 0 };
  const [row] = await app.orm.em.getConnection().execute<{ allowed: boolean; retry_after: number }[]>(
    'select allowed, retry_after from throttle_take(?, ?, ?, ?, ?, ?)',
    [key, app.clock.now(), rule.limit, rule.windowSeconds, rule.blockSeconds, rule.maxBlockSeconds ?? rule.blockSeconds],
  );
  return { allowed: row.allowed, retryAfterSeconds: row.retry_after };
}

/** Seconds `key` is still blocked for (0: not blocked), without counting a hit. */
export async function throttleBlocked(app: App, key: string): Promise<number> {
  const [row] = await app.orm.em.getConnection().execute<{ wait: number | null }[]>(
    'select ceil(extract(epoch from blocked_until - ?::timestamptz))::int as wait from throttle where key = ? and blocked_until > ?',
    [app.clock.now(), key, app.clock.now()],
  );
  return row?.wait ?? 0;
}

/** Forgets `key` (e.g. an account's failures after a successful sign-in). */
export async function throttleClear(app: App, key: string): Promise<void> {
  await app.orm.em.getConnection().execute('delete from throttle where key = ?', [key]);
}

export function rateLimited(retryAfterSeconds: number, message = 'Too many attempts; try again later'): AppError {
  return new AppError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds: Math.max(1, retryAfterSeconds) });
}

/** Counts a hit on every key and throws RATE_LIMITED (the longest wait) when any refuses it. */
export async function throttleOrThrow(app: App, checks: { key: string; rule: ThrottleRule }[], message?: string): Promise<void> {
  let wait = 0;
  for (const { key, rule } of checks) {
    const verdict = await throttleHit(app, key, rule);
    if (!verdict.allowed) wait = Math.max(wait, verdict.retryAfterSeconds);
  }
  if (wait > 0) throw rateLimited(wait, message);
}

/** Deletes rows whose window and block are long over; run by a schedule (see registerThrottleJobs). */
export async function purgeThrottles(app: App): Promise<number> {
  const rows = await app.orm.em.getConnection().execute<{ n: number }[]>(
    'with gone as (delete from throttle where expires_at < ? returning 1) select count(*)::int as n from gone',
    [app.clock.now()],
  );
  return rows[0]?.n ?? 0;
}

export async function registerThrottleJobs(app: App): Promise<void> {
  await app.jobs.work('throttle-purge', async () => {
    await purgeThrottles(app);
  });
  await app.jobs.schedule('throttle-purge', '*/10 * * * *');
}
