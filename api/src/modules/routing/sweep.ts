import type { App } from '../../platform/context.js';
import { platformEm } from '../../platform/db/orm.js';
import { AppError } from '../../platform/errors.js';
import { OfferOutcome } from '../interactions/interaction.entity.js';
import { InteractionEventKind } from '../interactions/interaction.events.js';
import { AGENT_STATE_CHANGED } from '../agents/agent-state.events.js';
import { formerAgentState } from '../agents/agent-states.service.js';
import { announceAgent, returnToQueue } from './agent-actions.js';
import { dispatchQueue } from './dispatch.js';
import { publish } from './routing.events.js';

/**
 * Everything that is due by the app's clock, on every tenant: lapsed offers go back to their
 * queue, wrap-ups end, waiting interactions move to the overflow queue after the maximum wait,
 * and queues with waiting interactions are dispatched. Idempotent; every instance runs it.
 */
export async function sweep(app: App): Promise<void> {
  const em = platformEm(app.orm);
  const conn = em.getConnection();
  const now = app.clock.now();
  const lapsed = await conn.execute<{ id: string; tenant_id: string; agent_id: string }[]>(
    // voice offers end with their call instead (telephony/calls/calls.jobs.ts): a caller cannot wait in a queue yet
    "select id, tenant_id, agent_id from interaction where state = 'OFFERED' and offer_expires_at <= ? and channel <> 'VOICE' limit 500",
    [now],
  );
  for (const o of lapsed) {
    await returnToQueue(app, o.tenant_id, o.id, OfferOutcome.TIMED_OUT, o.agent_id).catch((err) => {
      if (!(err instanceof AppError)) throw err; // decided meanwhile
    });
  }
  const wrapped = await conn.execute<{ user_id: string; tenant_id: string }[]>(
    "update agent_state set status = 'AVAILABLE', since = ?, idle_since = ?, wrap_up_ends_at = null where status = 'WRAP_UP' and wrap_up_ends_at <= ? returning user_id, tenant_id",
    [now, now, now],
  );
  for (const w of wrapped) await announceAgent(app, w.tenant_id, w.user_id);
  // An agent whose last seat-holding session ended (signed out, signed out by a supervisor, expired)
  // is OFFLINE: the AVAILABLE or PAUSED chosen before is not kept for the next sign-in (which would
  // take calls at once), and supervisors and wallboards hear of it. BUSY and WRAP_UP stay until
  // their interactions end. "Signed in" is read as routing reads it (dispatch.ts: the database's now()).
  const signedOut = await conn.execute<{ user_id: string; tenant_id: string }[]>(
    `update agent_state a set status = 'OFFLINE', pause_reason = null, since = ?
      where a.status in ('AVAILABLE', 'PAUSED')
        and not exists (select 1 from session s where s.user_id = a.user_id and s.holds_seat and s.revoked_at is null and s.expires_at > now())
      returning a.user_id, a.tenant_id`,
    [now],
  );
  for (const a of signedOut) {
    await formerAgentState(em, a.tenant_id, a.user_id)
      .then((view) => app.events.publish(AGENT_STATE_CHANGED, a.tenant_id, view))
      .catch((err) => app.log.error({ err, tenantId: a.tenant_id, userId: a.user_id }, 'could not announce a signed-out agent'));
  }
  const overflowing = await conn.execute<{ id: string; tenant_id: string; overflow_queue_id: string }[]>(
    `update interaction i set queue_id = q.overflow_queue_id, queued_at = ?
       from queue q
      where i.queue_id = q.id and i.state = 'QUEUED' and q.max_wait_seconds is not null and q.overflow_queue_id is not null
        and i.queued_at <= ?::timestamptz - make_interval(secs => q.max_wait_seconds)
      returning i.id, i.tenant_id, q.overflow_queue_id`,
    [now, now],
  );
  for (const o of overflowing) {
    publish(app, o.tenant_id, InteractionEventKind.TRANSFERRED, { interactionId: o.id, queueId: o.overflow_queue_id, agentId: null });
  }
  const waiting = await conn.execute<{ tenant_id: string; queue_id: string }[]>(
    "select distinct tenant_id, queue_id from interaction where state = 'QUEUED' and queue_id is not null and queued_at <= ?",
    [now],
  );
  for (const w of waiting) await dispatchQueue(app, w.tenant_id, w.queue_id);
}

