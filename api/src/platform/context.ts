import type { Config } from './config.js';
import type { Em, Orm } from './db/orm.js';
import type { EventBus } from './pubsub.js';
import type { Logger } from './logger.js';
import type { Principal } from './auth/principal.js';
import type { Clock } from './clock.js';
import type { Jobs } from './jobs.js';
import type { Mailer } from './mail.js';
import type { DatabaseHealth } from './db/health.js';

/** Process-wide parts, built once at start-up. */
export interface App {
  config: Config;
  orm: Orm;
  events: EventBus;
  log: Logger;
  /** HMAC key for access tokens, shared by every instance through the database. */
  tokenSecret: Buffer;
  /** The time, as the platform sees it (tests substitute a ManualClock). */
  clock: Clock;
  jobs: Jobs;
  /** Registers work to undo on shutdown (timers, listeners); runs before the database closes. */
  onStop(fn: () => Promise<void>): void;
  /** Outgoing e-mail (SMTP, or the development capture folder). */
  mail: Mailer;
  /** Whether the database answers (pinged every second); /readyz and the request gate read it. */
  dbHealth: DatabaseHealth;
}

/** Per request (or per subscription), built by the server from the caller's credentials. */
export interface Context {
  app: App;
  /** Scoped to the caller's tenant; platform-wide only for platform operators. */
  em: Em;
  principal?: Principal;
  /** Why the credentials sent were refused; reported by any operation that is not public. */
  authError?: Error;
  log: Logger;
  requestId: string;
  /** Per-request DataLoaders, created on first use by the modules that own them. */
  loaders: Map<string, unknown>;
  userAgent?: string;
  /** The Origin header of the request (browsers send it); public widget operations check it. */
  origin?: string;
  /** The caller's address (the proxy's X-Forwarded-For when TRUST_PROXY is set); throttles key on it. */
  ip: string;
}

/** Returns the request's loader under `key`, creating it once per request. */
export function loader<T>(ctx: Context, key: string, create: () => T): T {
  let value = ctx.loaders.get(key) as T | undefined;
  if (!value) {
    value = create();
    ctx.loaders.set(key, value);
  }
  return value;
}
