import type { App } from '../../../platform/context.js';
import { sqlOnce, sqlTransaction } from '../../../platform/db/sql.js';
import { every } from '../../../platform/periodic.js';
import { InteractionEventKind } from '../../interactions/interaction.events.js';
import { dispatchQueue, onVoiceOffer } from '../../routing/dispatch.js';
import { publish, type EventSubject } from '../../routing/routing.events.js';
import { agentAor } from '../sip-identity.js';
import { holdCaller, playHoldMusic } from './wait-media.js';
import { resumeCall } from './resume.js';

/**
 * Callers who wait (queue `callWaitSeconds`) and the hunt for the next agent. Kamailio holds the
 * caller's INVITE (t_suspend) while the caller hears music on hold in early media; the API resumes
 * it with the next decision: an agent when the dispatcher offers the call (`onVoiceOffer`), the
 * campaign's no-agent answer when the wait lapses (`overflowWaitingCalls`). A call is "waitable"
 * when its call row has the caller's From-tag (`from_tag`), set only for queues that hold callers.
 */

/** Seconds the API's own offer outlives the agent's ringing (as inbound.ts). */
const OFFER_GRACE_SECONDS = 10;

interface HeldCall {
  tenant_id: string;
  interaction_id: string;
  sip_call_id: string;
  from_tag: string;
  from_number: string | null;
  held_at: Date | null;
  record: boolean;
  ring_seconds: number;
  no_agent_action: string;
  slug: string;
  queue_id: string | null;
  /** The caller has waited the queue's longest wait. */
  lapsed: boolean;
}

const HELD_CALL = `select c.tenant_id, c.interaction_id, c.sip_call_id, c.from_tag, c.from_number, c.held_at, c.record,
         camp.ring_seconds, camp.no_agent_action, t.slug, i.queue_id,
         coalesce(i.created_at <= ?::timestamptz - make_interval(secs => q.call_wait_seconds), false) as lapsed
    from call c
    join interaction i on i.id = c.interaction_id and i.tenant_id = c.tenant_id
    join campaign camp on camp.id = i.campaign_id and camp.tenant_id = i.tenant_id
    join tenant t on t.id = c.tenant_id
    left join queue q on q.id = i.queue_id and q.tenant_id = i.tenant_id
   where c.ended_at is null and c.from_tag is not null`;

/** Wires the dispatcher's voice offers to held calls, and the overflow sweep (every routing sweep period). */
export function registerWaitingCalls(app: App): void {
  onVoiceOffer(app, (_app, tenantId, offer) => {
    ringWaitingCall(app, tenantId, offer).catch((err) => app.log.error({ err, tenantId, interactionId: offer.interactionId }, 'could not ring a waiting call'));
  });
  const seconds = app.config.routingSweepSeconds;
  if (seconds) every(app, seconds, 'waiting calls sweep failed', () => overflowWaitingCalls(app));
}

/**
 * The dispatcher offered a call to `offer.agentId`: when the call's INVITE is held (the caller
 * waits, or hunts), Kamailio is told to ring the agent. Kamailio may not hold it yet (the `wait`
 * decision is on its way): tried again every 100 ms for 2 s, while the call lives.
 */
export async function ringWaitingCall(app: App, tenantId: string, offer: EventSubject): Promise<void> {
  const [call] = await sqlOnce<HeldCall>(app.orm, `${HELD_CALL} and c.interaction_id = ? and c.tenant_id = ? and i.state = 'OFFERED' and i.agent_id = ?`, [
    app.clock.now(), offer.interactionId, tenantId, offer.agentId,
  ]);
  if (!call || !offer.agentId) return;
  const expires = new Date(app.clock.now().getTime() + (call.ring_seconds + OFFER_GRACE_SECONDS) * 1000);
  await sqlOnce(app.orm, `update interaction set offer_expires_at = ? where id = ? and tenant_id = ? and state = 'OFFERED'`, [expires, call.interaction_id, tenantId]);
  const decision = {
    action: 'agent' as const,
    aor: agentAor(offer.agentId, call.slug, app.config.telephony),
    interactionId: call.interaction_id,
    record: call.record,
    ringSeconds: call.ring_seconds,
    hunt: true,
    // the agent's phone shows the caller as the API knows it (a withheld caller as anonymous)
    presentAs: call.from_number ?? 'anonymous',
  };
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await resumeCall(app, call.sip_call_id, decision)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [live] = await sqlOnce(app.orm, 'select 1 from call where sip_call_id = ? and ended_at is null', [call.sip_call_id]);
    if (!live) return;
  }
  app.log.warn({ tenantId, interactionId: call.interaction_id }, 'Kamailio does not hold the waiting call any more');
}

/**
 * Kamailio posted `missed` (the offered agent declined, was busy or did not answer; the interaction
 * is QUEUED again with its first arrival time, so it stays at the head of its queue) and holds the
 * INVITE: the next agent is tried; nobody free: the caller waits with music (a 183 if it has none
 * yet); the wait already over: the overflow answer.
 */
export async function huntNext(app: App, tenantId: string, interactionId: string): Promise<void> {
  const [call] = await sqlOnce<HeldCall>(app.orm, `${HELD_CALL} and c.interaction_id = ? and c.tenant_id = ? and i.state = 'QUEUED'`, [app.clock.now(), interactionId, tenantId]);
  if (!call) return;
  if (call.lapsed) {
    await overflow(app, call);
    return;
  }
  if (call.queue_id) await dispatchQueue(app, tenantId, call.queue_id);
  const [still] = await sqlOnce(app.orm, `select 1 from interaction where id = ? and tenant_id = ? and state = 'QUEUED'`, [interactionId, tenantId]);
  if (!still) return; // offered to the next agent (ringWaitingCall resumes the INVITE), or over
  if (call.held_at) {
    // still held by Kamailio (failure_route): the music goes on (started again in case the agent's branch stopped it)
    await playHoldMusic(app, call.sip_call_id, call.from_tag).catch((err: Error) => app.log.warn({ err, callId: call.sip_call_id }, 'could not restart the music on hold'));
    return;
  }
  const sdp = await holdCaller(app, { callId: call.sip_call_id, fromTag: call.from_tag, interactionId }).catch((err: Error) => {
    app.log.error({ err, callId: call.sip_call_id }, 'could not hold the caller in rtpengine');
    return null;
  });
  if (!sdp) {
    await overflow(app, call);
    return;
  }
  await sqlOnce(app.orm, 'update call set held_at = ? where sip_call_id = ? and held_at is null', [app.clock.now(), call.sip_call_id]);
  await resumeCall(app, call.sip_call_id, { action: 'wait', interactionId, sdp, record: call.record });
}

/** Callers who waited their queue's longest wait (and are not ringing an agent) get the campaign's no-agent answer. */
export async function overflowWaitingCalls(app: App): Promise<number> {
  const calls = await sqlOnce<HeldCall>(app.orm, `${HELD_CALL} and i.state = 'QUEUED' and q.call_wait_seconds is not null and i.created_at <= ?::timestamptz - make_interval(secs => q.call_wait_seconds) limit 200`, [
    app.clock.now(), app.clock.now(),
  ]);
  for (const call of calls) await overflow(app, call);
  return calls.length;
}

/** The wait is over: the interaction is ABANDONED and the call ended with the no-agent answer (486 or 480), then Kamailio answers the caller so. */
async function overflow(app: App, call: HeldCall): Promise<void> {
  const busy = call.no_agent_action === 'BUSY';
  const code = busy ? 486 : 480;
  const now = app.clock.now();
  const done = await sqlTransaction(app.orm, async (sql) => {
    const [i] = await sql(`update interaction set state = 'ABANDONED', ended_at = ?, offer_expires_at = null where id = ? and tenant_id = ? and state = 'QUEUED' returning id`, [
      now, call.interaction_id, call.tenant_id,
    ]);
    if (!i) return false;
    await sql(`update call set ended_at = ?, sip_code = ?, ended_by = 'api' where sip_call_id = ? and ended_at is null`, [now, code, call.sip_call_id]);
    return true;
  });
  if (!done) return;
  app.log.info({ tenantId: call.tenant_id, interactionId: call.interaction_id, code }, 'a caller waited the longest wait: overflow answer');
  publish(app, call.tenant_id, InteractionEventKind.ABANDONED, { interactionId: call.interaction_id, queueId: call.queue_id, agentId: null });
  await resumeCall(app, call.sip_call_id, { action: 'reject', code, reason: busy ? 'Busy Here' : 'Temporarily Unavailable' }).catch((err: Error) =>
    app.log.warn({ err, callId: call.sip_call_id }, 'could not end the wait in Kamailio'),
  );
}
