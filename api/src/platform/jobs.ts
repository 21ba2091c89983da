import { PgBoss } from 'pg-boss';
import type { Logger } from './logger.js';
import { poolTimeouts, readTimeoutMs, type DbTimeouts } from './db/orm.js';

/**
 * Background jobs in the same PostgreSQL (pg-boss, schema `pgboss`), so work and schedules
 * survive restarts and are shared by every API instance: a job runs once, on one instance.
 * Work that follows the app's clock (deadlines) is best written as "a periodic sweep handles
 * everything due by clock.now()", which tests can also call directly.
 */
export interface Jobs {
  /** Handles each job sent to `queue` (created if needed). A thrown error retries the job. */
  work<T extends object>(queue: string, handler: (data: T) => Promise<void>): Promise<void>;
  /** A job; a handler that throws is run again up to `retryLimit` times, `retryDelay` seconds apart (doubling with `retryBackoff`). */
  send(queue: string, data?: object, options?: { startAfter?: Date; singletonKey?: string; retryLimit?: number; retryDelay?: number; retryBackoff?: boolean }): Promise<string | null>;
  /** Sends a job to `queue` on a cron schedule (UTC), once per tick across all instances. */
  schedule(queue: string, cron: string, data?: object): Promise<void>;
  stop(): Promise<void>;
}

/**
 * With `timeouts`, pg-boss's own pool fails fast while the database is away (its loops log the
 * error and try again) and carries on by itself once it is back: no restart needed.
 */
export async function startJobs(connectionString: string, log: Logger, timeouts?: DbTimeouts): Promise<Jobs> {
  const boss = new PgBoss({
    connectionString,
    schema: 'pgboss',
    max: 4,
    application_name: 'switchboard-jobs',
    // pg-boss runs plain pool queries: one that times out has its connection discarded
    ...(timeouts && { ...poolTimeouts(timeouts), ...(readTimeoutMs(timeouts) && { query_timeout: readTimeoutMs(timeouts) }) }),
  });
  boss.on('error', (err: unknown) => log.error({ err }, 'job system error'));
  await boss.start();
  const queues = new Set<string>();
  const ensureQueue = async (queue: string) => {
    if (queues.has(queue)) return;
    if (!(await boss.getQueue(queue))) await boss.createQueue(queue);
    queues.add(queue);
  };
  return {
    async work(queue, handler) {
      await ensureQueue(queue);
      await boss.work(queue, async (jobs) => {
        for (const job of jobs) {
          try {
            await handler(job.data as never);
          } catch (err) {
            log.error({ err, queue, jobId: job.id }, 'job failed');
            throw err;
          }
        }
      });
    },
    async send(queue, data = {}, options = {}) {
      await ensureQueue(queue);
      const { startAfter, singletonKey, retryLimit, retryDelay, retryBackoff } = options;
      return boss.send(queue, data, {
        ...(startAfter && { startAfter }),
        ...(singletonKey && { singletonKey }),
        ...(retryLimit !== undefined && { retryLimit }),
        ...(retryDelay !== undefined && { retryDelay }),
        ...(retryBackoff !== undefined && { retryBackoff }),
      });
    },
    async schedule(queue, cron, data = {}) {
      await ensureQueue(queue);
      await boss.schedule(queue, cron, data, { tz: 'UTC' });
    },
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
