import type { App } from '../../platform/context.js';
import { platformEm } from '../../platform/db/orm.js';
import { deleteRecording } from '../telephony/recordings/storage.js';

export const RETENTION_QUEUE = 'retention-purge';

/**
 * Deletes the transcripts (messages) and recording references of interactions that ended longer
 * ago than their tenant's retention period. The interactions themselves stay, with their
 * timestamps, states and dispositions, so figures and reports keep working. Safe to run again.
 */
export async function purgeExpired(app: App): Promise<{ interactions: number; messages: number }> {
  const em = platformEm(app.orm);
  const now = app.clock.now();
  const result = await em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    const expired = `select i.id from interaction i join tenant t on t.id = i.tenant_id
                      where i.state in ('CLOSED', 'ABANDONED') and i.transcript_purged_at is null
                        and coalesce(i.ended_at, i.created_at) < ?::timestamptz - make_interval(months => t.retention_months)`;
    const deleted = await conn.execute<{ affectedRows: number }>(`delete from message where interaction_id in (${expired})`, [now], 'run', ctx);
    const purged = await conn.execute<{ recording_ref: string | null }[]>(
      `update interaction i set transcript_purged_at = ?, recording_ref = null from (${expired.replace('select i.id', 'select i.id, i.recording_ref')}) old
        where i.id = old.id returning old.recording_ref`,
      [now, now],
      'all',
      ctx,
    );
    if (purged.length) app.log.info({ interactions: purged.length, messages: deleted.affectedRows }, 'retention: purged transcripts');
    return { interactions: purged.length, messages: deleted.affectedRows, recordings: purged.flatMap((r) => (r.recording_ref ? [r.recording_ref] : [])) };
  });
  // the rows no longer point at the files: delete them after the commit (a crash here leaves only unreferenced files)
  for (const ref of result.recordings) await deleteRecording(app.config, ref);
  return { interactions: result.interactions, messages: result.messages };
}

/** Runs the purge every night (03:15 UTC), once across all instances. */
export async function registerRetentionJobs(app: App): Promise<void> {
  await app.jobs.work(RETENTION_QUEUE, async () => void (await purgeExpired(app)));
  await app.jobs.schedule(RETENTION_QUEUE, '15 3 * * *');
}
