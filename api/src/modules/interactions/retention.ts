import type { App } from '../../platform/context.js';
import { sqlOnce, sqlTransaction } from '../../platform/db/sql.js';
import { deleteRecording } from '../telephony/recordings/storage.js';

export const RETENTION_QUEUE = 'retention-purge';

/**
 * Interactions per batch: with their messages (about five each) one batch deletes a few thousand
 * rows in one short transaction, so no lock is held for long and other work interleaves.
 */
export const RETENTION_BATCH = 1000;

/**
 * Deletes the transcripts (messages) and recording references of interactions that ended longer
 * ago than their tenant's retention period. The interactions themselves stay, with their
 * timestamps, states and dispositions, so figures and reports keep working. Safe to run again.
 *
 * Tenant by tenant, in batches of `batch` interactions, oldest first, each in its own transaction.
 * What is due is found through a partial index of the interactions whose transcript is still kept,
 * by when they ended, so a tenant with nothing due costs one index probe and rows already purged
 * are never read again.
 */
export async function purgeExpired(app: App, batch = RETENTION_BATCH): Promise<{ interactions: number; messages: number }> {
  const now = app.clock.now();
  const total = { interactions: 0, messages: 0 };
  const tenants = await sqlOnce<{ id: string; retention_months: number }>(app.orm, 'select id, retention_months from tenant order by id');
  for (const tenant of tenants) {
    for (;;) {
      const done = await sqlTransaction(app.orm, async (sql) => {
        const due = await sql<{ id: string; recording_ref: string | null }>(
          `select id, recording_ref from interaction
            where tenant_id = ? and transcript_purged_at is null and state in ('CLOSED', 'ABANDONED')
              and coalesce(ended_at, created_at) < ?::timestamptz - make_interval(months => ?)
            order by coalesce(ended_at, created_at) limit ? for update skip locked`,
          [tenant.id, now, tenant.retention_months, batch],
        );
        if (!due.length) return null;
        const ids = due.map((d) => d.id);
        const list = ids.map(() => '?').join(', ');
        const [deleted] = await sql<{ n: string }>(`with d as (delete from message where interaction_id in (${list}) returning 1) select count(*) as n from d`, ids);
        await sql(`update interaction set transcript_purged_at = ?, recording_ref = null where id in (${list})`, [now, ...ids]);
        return { interactions: due.length, messages: Number(deleted?.n ?? 0), recordings: due.flatMap((d) => (d.recording_ref ? [d.recording_ref] : [])) };
      });
      if (!done) break;
      total.interactions += done.interactions;
      total.messages += done.messages;
      // the rows no longer point at the files: delete them after the commit (a crash here leaves only unreferenced files)
      for (const ref of done.recordings) await deleteRecording(app.config, ref);
      if (done.interactions < batch) break;
    }
  }
  if (total.interactions) app.log.info(total, 'retention: purged transcripts');
  return total;
}

/** Runs the purge every night (03:15 UTC), once across all instances. */
export async function registerRetentionJobs(app: App): Promise<void> {
  await app.jobs.work(RETENTION_QUEUE, async () => void (await purgeExpired(app)));
  await app.jobs.schedule(RETENTION_QUEUE, '15 3 * * *');
}
