import type { App } from '../../platform/context.js';
import { platformEm } from '../../platform/db/orm.js';

export const RETENTION_QUEUE = 'retention-purge';

/**
 * Deletes the transcripts (messages) and recording references of interactions that ended longer
 * ago than their tenant's retention period. The interactions themselves stay, with their
 * timestamps, states and dispositions, so figures and reports keep working. Safe to run again.
 */
export async function purgeExpired(app: App): Promise<{ interactions: number; messages: number }> {
  const em = platformEm(app.orm);
  const now = app.clock.now();
  return em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    const expired = `select i.id from interaction i join tenant t on t.id = i.tenant_id
                      where i.state in ('CLOSED', 'ABANDONED') and i.transcript_purged_at is null
                        and coalesce(i.ended_at, i.created_at) < ?::timestamptz - make_interval(months => t.retention_months)`;
    const deleted = await conn.execute<{ affectedRows: number }>(`delete from message where interaction_id in (${expired})`, [now], 'run', ctx);
    const purged = await conn.execute<{ affectedRows: number }>(
      `update interaction set transcript_purged_at = ?, recording_ref = null where id in (${expired})`,
      [now, now],
      'run',
      ctx,
    );
    if (purged.affectedRows) app.log.info({ interactions: purged.affectedRows, messages: deleted.affectedRows }, 'retention: purged transcripts');
    return { interactions: purged.affectedRows, messages: deleted.affectedRows };
  });
}

/** Runs the purge every night (03:15 UTC), once across all instances. */
export async function registerRetentionJobs(app: App): Promise<void> {
  await app.jobs.work(RETENTION_QUEUE, async () => void (await purgeExpired(app)));
  await app.jobs.schedule(RETENTION_QUEUE, '15 3 * * *');
}
