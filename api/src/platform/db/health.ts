/**
 * Is the database answering? A watcher pings it on its own connection (not the pool's, so a busy
 * pool does not look like an outage) every second with a short deadline. /readyz asks for a ping
 * of its own (the answer within the deadline); the request gate (server/readiness.ts) refuses
 * GraphQL requests with SERVICE_UNAVAILABLE once three pings in a row failed (a slow ping or two
 * on a loaded machine is not an outage), and lets them through again at the first good one.
 */
import pg from 'pg';
import type { Logger } from '../logger.js';

export interface DatabaseHealth {
  /** False from the third failed ping in a row until the next good one. */
  readonly up: boolean;
  /** Why the last ping failed. */
  readonly reason?: string;
  /** Pings now (joining a ping already under way) and resolves within the ping deadline. */
  check(): Promise<boolean>;
  stop(): Promise<void>;
}

export interface HealthOptions {
  intervalMs?: number;
  /** Deadline of one ping, connection included. */
  timeoutMs?: number;
}

/** Failed pings in a row (about one a second) before requests are refused without trying. */
const FAILURES_FOR_OUTAGE = 3;

export function watchDatabase(url: string, log: Logger, { intervalMs = 1000, timeoutMs = 1000 }: HealthOptions = {}): DatabaseHealth {
  let client: pg.Client | undefined;
  let up = true;
  let failures = 0;
  let reason: string | undefined;
  let running: Promise<boolean> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const drop = () => {
    const c = client;
    client = undefined;
    if (!c) return;
    c.on('error', () => {});
    (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    void c.end().catch(() => {});
  };

  const ping = async (): Promise<void> => {
    if (!client) {
      const fresh = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'switchboard-health' });
      fresh.on('error', () => undefined); // a dropped connection shows as a failed ping
      client = fresh;
      await fresh.connect();
    }
    await client.query('select 1');
  };

  const once = async (): Promise<boolean> => {
    let deadline: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ping(),
        new Promise<never>((_, reject) => {
          // setImmediate: after a stalled event loop, an answer that arrived meanwhile is read first
          deadline = setTimeout(() => setImmediate(() => reject(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs);
        }),
      ]);
      if (!up) log.warn('the database answers again');
      up = true;
      failures = 0;
      reason = undefined;
      return true;
    } catch (err) {
      drop();
      reason = (err as Error).message || String(err);
      if (++failures >= FAILURES_FOR_OUTAGE && up) {
        log.error({ reason }, 'the database does not answer: requests get SERVICE_UNAVAILABLE until it does');
        up = false;
      }
      return false;
    } finally {
      clearTimeout(deadline);
    }
  };

  const check = () => (running ??= once().finally(() => (running = undefined)));

  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => void check().finally(loop), intervalMs);
    timer.unref();
  };
  loop();

  return {
    get up() {
      return up;
    },
    get reason() {
      return reason;
    },
    check,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
      drop();
    },
  };
}
