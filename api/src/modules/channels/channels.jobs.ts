import type { App } from '../../platform/context.js';
import { sqlOnce } from '../../platform/db/sql.js';
import { channelKeys, seal, sealedWithCurrent, unseal } from './secrets.js';
import { SEND_QUEUE, sendOne } from './outbound.js';

/**
 * At start: the secrets key is loaded (a bad CHANNEL_SECRETS_KEY stops the start with what to do),
 * secrets sealed with a retired key are sealed again with the current one (key rotation), and
 * this instance takes its share of send jobs.
 */
export async function registerChannelJobs(app: App): Promise<void> {
  const keys = await channelKeys(app);
  const rows = await sqlOnce<{ id: string; secrets: string }>(app.orm, 'select id, secrets from channel_account');
  let resealed = 0;
  for (const row of rows.filter((r) => !sealedWithCurrent(keys, r.secrets))) {
    const fresh = seal(keys.current, unseal(keys, row.secrets, row.id), row.id);
    resealed += (await sqlOnce(app.orm, 'update channel_account set secrets = ? where id = ? and secrets = ? returning id', [fresh, row.id, row.secrets])).length;
  }
  if (resealed) app.log.info({ resealed }, 'channel secrets sealed again with the current CHANNEL_SECRETS_KEY');
  await app.jobs.work<{ tenantId: string; messageId: string }>(SEND_QUEUE, (data) => sendOne(app, data));
}
