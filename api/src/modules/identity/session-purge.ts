import type { App } from '../../platform/context.js';
import { sqlOnce } from '../../platform/db/sql.js';

export const SESSION_PURGE_QUEUE = 'session-purge';

/** Sessions ended (expired or revoked) longer ago than this are deleted: they can never be used again. */
export const SESSION_KEEP_DAYS = 30;

/** Rows per delete statement: each is its own short transaction. */
export const SESSION_PURGE_BATCH = 5000;

/**
 * Deletes sessions that expired or were revoked more than SESSION_KEEP_DAYS ago, by the app's
 * clock, in batches. Without it every sign-in stays forever, and each "is this agent signed in"
 * check (routing, agentStates, queueStats, seats) reads an agent's whole history of sessions.
 * A refresh token of such a session is refused like any unknown one. Safe to run again.
 */
export async function purgeSessions(app: App, batch = SESSION_PURGE_BATCH): Promise<number> {
  const before = new Date(app.clock.now().getTime() - SESSION_KEEP_DAYS * 86_400_000);
  let total = 0;
  for (;;) {
    const [row] = await sqlOnce<{ n: string }>(
      app.orm,
      `with d as (delete from session where id in (
         select id from session where expires_at < ? or revoked_at < ? limit ?) returning 1)
       select count(*) as n from d`,
      [before, before, batch],
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < batch) break;
  }
  if (total) app.log.info({ sessions: total }, 'purged ended sessions');
  return total;
}

/** Every night at 03:45 UTC, once across all instances. */
export async function registerSessionPurgeJobs(app: App): Promise<void> {
  await app.jobs.work(SESSION_PURGE_QUEUE, async () => void (await purgeSessions(app)));
  await app.jobs.schedule(SESSION_PURGE_QUEUE, '45 3 * * *');
}
