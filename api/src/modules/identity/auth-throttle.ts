import type { App } from '../../platform/context.js';
import { rateLimited, throttleBlocked, throttleClear, throttleHit, throttleKey, type ThrottleRule } from '../../platform/throttle/throttle.js';

/**
 * Password guessing and refresh-token guessing are throttled on failures only, so people who
 * sign in successfully (however often) are never slowed down. Each failure counts against
 * several keys; a key over its limit is blocked with exponential back-off (throttle.ts), and a
 * blocked key refuses the attempt before the password is even checked (no oracle while blocked).
 */
interface Check {
  key: string;
  rule: ThrottleRule;
}

/**
 * - one account from one address: blocks quickly and for long (a single-source guesser);
 * - one account from every address: a higher limit and a short longest block, so a distributed
 *   attacker cannot keep the real user out for long;
 * - one address, whatever the account: password spraying across accounts.
 */
function signInChecks(app: App, email: string, ip: string): Check[] {
  const c = app.config.signIn;
  const rule = (limit: number, maxBlockSeconds: number): ThrottleRule => ({
    limit,
    windowSeconds: c.windowSeconds,
    blockSeconds: Math.min(c.blockSeconds, maxBlockSeconds),
    maxBlockSeconds,
  });
  return [
    { key: accountAddressKey(email, ip), rule: rule(c.maxFailures, c.maxBlockSeconds) },
    { key: throttleKey('signin', 'account', email), rule: rule(c.accountMaxFailures, c.accountMaxBlockSeconds) },
    { key: throttleKey('signin', 'address', ip), rule: rule(c.addressMaxFailures, c.maxBlockSeconds) },
  ];
}

const accountAddressKey = (email: string, ip: string) => throttleKey('signin', 'account-address', ip, email);

function refreshChecks(app: App, ip: string): Check[] {
  const c = app.config.signIn;
  return [{
    key: throttleKey('refresh', 'address', ip),
    rule: { limit: app.config.refreshMaxFailures, windowSeconds: c.windowSeconds, blockSeconds: c.blockSeconds, maxBlockSeconds: c.maxBlockSeconds },
  }];
}

/** RATE_LIMITED when any of the keys is blocked now; counts nothing. */
async function assertNotBlocked(checks: Check[], app: App, message: string): Promise<void> {
  const waits = await Promise.all(checks.filter((c) => c.rule.limit > 0).map((c) => throttleBlocked(app, c.key)));
  const wait = Math.max(0, ...waits);
  if (wait > 0) throw rateLimited(wait, message);
}

/** Counts a failure on every key; RATE_LIMITED (and one warning in the log) when one starts a block. */
async function countFailure(checks: Check[], app: App, message: string, log: Record<string, string>): Promise<void> {
  let wait = 0;
  for (const { key, rule } of checks) {
    const verdict = await throttleHit(app, key, rule);
    if (!verdict.allowed) {
      wait = Math.max(wait, verdict.retryAfterSeconds);
      app.log.warn({ ...log, key, retryAfterSeconds: verdict.retryAfterSeconds }, 'blocked after repeated failures');
    }
  }
  if (wait > 0) throw rateLimited(wait, message);
}

const SIGN_IN_MESSAGE = 'Too many failed sign-ins; try again later';
const REFRESH_MESSAGE = 'Too many refused refresh tokens; try again later';

export const signInThrottle = {
  assertAllowed: (app: App, email: string, ip: string) => assertNotBlocked(signInChecks(app, email, ip), app, SIGN_IN_MESSAGE),
  failed: (app: App, email: string, ip: string) => countFailure(signInChecks(app, email, ip), app, SIGN_IN_MESSAGE, { ip, account: email, what: 'sign-in' }),
  /** A right password forgets this address's failures for the account (not the account-wide ones). */
  succeeded: (app: App, email: string, ip: string) => throttleClear(app, accountAddressKey(email, ip)),
};

export const refreshThrottle = {
  assertAllowed: (app: App, ip: string) => assertNotBlocked(refreshChecks(app, ip), app, REFRESH_MESSAGE),
  failed: (app: App, ip: string) => countFailure(refreshChecks(app, ip), app, REFRESH_MESSAGE, { ip, what: 'refresh token' }),
};
