import type { App } from '../../platform/context.js';
import { throttleHit, throttleKey, throttleOrThrow } from '../../platform/throttle/throttle.js';

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * Anyone may ask for status notices, and each request sends a confirmation e-mail, so the form
 * must not become a way to mail-bomb an inbox or burn the platform's sender reputation. Every
 * request counts against its source address (RATE_LIMITED with retryAfterSeconds over the limit,
 * blocks doubling up to a day).
 */
export function throttleSubscribeRequest(app: App, ip: string): Promise<void> {
  return throttleOrThrow(
    app,
    [{ key: throttleKey('status-subscribe', 'address', ip), rule: { limit: app.config.statusSubscribeMaxPerAddress, windowSeconds: HOUR, blockSeconds: HOUR, maxBlockSeconds: DAY } }],
    'Too many subscription requests from your address; try again later',
  );
}

/**
 * Whether one more confirmation may go to `email` today. Over the limit the request is answered
 * as usual but sends nothing, so the answer tells nobody what was asked for that address.
 */
export async function mayMailRecipient(app: App, email: string): Promise<boolean> {
  const rule = { limit: app.config.statusSubscribeMaxPerEmail, windowSeconds: DAY, blockSeconds: DAY };
  return (await throttleHit(app, throttleKey('status-subscribe', 'email', email), rule)).allowed;
}
