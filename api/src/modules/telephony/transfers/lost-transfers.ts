import type { App } from '../../../platform/context.js';
import { platformEm } from '../../../platform/db/orm.js';
import { InteractionEventKind } from '../../interactions/interaction.events.js';
import { publish } from '../../routing/routing.events.js';

/**
 * Calls handed over (the caller's side accepted the REFER) whose new INVITE never came before the
 * transfer target expired: the caller is lost, the interaction ABANDONED (in its target queue).
 * One statement per call, conditional on it still waiting, so a late INVITE and this never both win.
 */
export async function abandonLostTransfers(app: App): Promise<number> {
  const now = app.clock.now();
  const rows = await platformEm(app.orm).getConnection().execute<{ id: string; tenant_id: string; queue_id: string | null }[]>(
    `update interaction i set state = 'ABANDONED', ended_at = ?, queued_at = least(i.queued_at, t.expires_at)
       from call_transfer t
      where t.interaction_id = i.id and t.tenant_id = i.tenant_id and t.handed_over_at is not null and t.to_call_id is null
        and t.expires_at <= ? and i.state = 'QUEUED'
        and not exists (select 1 from call c where c.interaction_id = i.id and c.ended_at is null)
      returning i.id, i.tenant_id, i.queue_id`,
    [now, now],
  );
  for (const r of rows) publish(app, r.tenant_id, InteractionEventKind.ABANDONED, { interactionId: r.id, queueId: r.queue_id, agentId: null });
  return rows.length;
}
