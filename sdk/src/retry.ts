/** Retry policy shared by HTTP queries and subscription reconnects: exponential backoff with jitter. */

export interface RetryOptions {
  /** Tries of a query in all, the first included (default 3; 1 turns retries off). */
  attempts?: number;
  /** Delay before the first retry; each next retry doubles it (default 250 ms). */
  baseDelayMs?: number;
  /** Ceiling of one delay (default 10 s). */
  maxDelayMs?: number;
  /** Reconnects of the subscription socket in a row before its subscriptions fail (default 10). */
  reconnectAttempts?: number;
}

export type RetryPolicy = Required<RetryOptions>;

function count(name: string, value: number, min: number): number {
  if (!(value >= min) || (Number.isFinite(value) && !Number.isInteger(value))) {
    throw new RangeError(`retry.${name} must be an integer of at least ${min}`);
  }
  return value;
}

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    attempts: count('attempts', options.attempts ?? 3, 1),
    baseDelayMs: count('baseDelayMs', options.baseDelayMs ?? 250, 0),
    maxDelayMs: count('maxDelayMs', options.maxDelayMs ?? 10_000, 0),
    reconnectAttempts: count('reconnectAttempts', options.reconnectAttempts ?? 10, 0),
  };
}

/**
 * Delay before retry number `retry` (1 for the first): half of the exponential step, plus a random
 * part up to the other half, so that many clients failing together do not retry together.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** `Retry-After` in milliseconds, when the header holds seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
