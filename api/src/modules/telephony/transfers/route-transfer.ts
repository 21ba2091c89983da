import { LockMode } from '@mikro-orm/core';
import type { App } from '../../../platform/context.js';
import { tenantEm } from '../../../platform/db/orm.js';
import { NoAgentAction } from '../../campaigns/campaign.entity.js';
import { Interaction, InteractionState } from '../../interactions/interaction.entity.js';
import { InteractionEventKind } from '../../interactions/interaction.events.js';
import { dispatchQueue, makeOffer } from '../../routing/dispatch.js';
import { publish, subject } from '../../routing/routing.events.js';
import type { RouteDecision, RouteRequest } from '../kamailio.contract.js';
import { sourceAllowed } from '../calls/allow-list.js';
import { endCall, reserveChannel } from '../calls/channels.js';
import { OFFER_GRACE_SECONDS } from '../calls/inbound.js';
import type { DidRoute } from '../calls/did-route.js';
import { agentAor } from '../sip-identity.js';
import { reject } from '../calls/route-request.js';
import { tenantSipDomain } from '../sip-identity.js';
import { handOver } from './hand-over.js';
import { canTakeCall } from './request-transfer.js';
import { tokenHash, transferToken } from './transfer-token.js';

interface Row {
  id: string;
  tenant_id: string;
  slug: string;
  interaction_id: string;
  queue_id: string | null;
  agent_id: string | null;
  expires_at: Date;
  to_call_id: string | null;
  from_number: string | null;
  to_number: string;
  ring_seconds: number | null;
  no_agent_action: NoAgentAction | null;
  record_calls: boolean | null;
  trunks: { id: string; sources: string[] }[] | null;
}

/** Whether an INVITE's Request-URI names a transfer target (`xfer-<token>`). */
export const isTransferTarget = (req: RouteRequest): boolean => transferToken(req.ruriUser) !== null;

/**
 * The carrier's INVITE to a Refer-To the API issued: the transfer's tenant, from that tenant's
 * trunk, before the target expires, once. Anything else is 404 (another tenant's domain too, so
 * a token says nothing about other tenants). The first agent's part is handed over (if the 202
 * was not reported first), then the call is offered like an inbound one: to the target agent if
 * it can take a call now, or by the target queue's dispatcher; else the campaign's no-agent answer.
 */
export async function routeTransfer(app: App, req: RouteRequest): Promise<RouteDecision> {
  const token = transferToken(req.ruriUser)!;
  const now = app.clock.now();
  const [row] = await app.orm.em.getConnection().execute<Row[]>(
    `select t.id, t.tenant_id, tn.slug, t.interaction_id, t.queue_id, t.agent_id, t.expires_at, t.to_call_id,
            lc.from_number, lc.to_number, c.ring_seconds, c.no_agent_action, c.record_calls,
            (select json_agg(json_build_object('id', s.id, 'sources', s.allowed_sources) order by s.id)
               from sip_trunk s where s.tenant_id = t.tenant_id and s.active) as trunks
       from call_transfer t
       join tenant tn on tn.id = t.tenant_id and tn.status = 'ACTIVE'
       join call lc on lc.id = t.from_call_id and lc.tenant_id = t.tenant_id
       join interaction i on i.id = t.interaction_id and i.tenant_id = t.tenant_id
       left join campaign c on c.id = i.campaign_id and c.tenant_id = t.tenant_id
      where t.token_hash = ?`,
    [tokenHash(token)],
  );
  if (!row || new Date(row.expires_at) <= now || row.to_call_id || req.ruriDomain.toLowerCase() !== tenantSipDomain(row.slug, app.config.telephony)) {
    return reject(404, 'Not Found');
  }
  const tenantId = row.tenant_id;
  const trunk = (row.trunks ?? []).find((t) => sourceAllowed(t.sources, req.sourceIp));
  if (!trunk) {
    app.log.warn({ tenantId, sourceIp: req.sourceIp }, 'refused a transferred call from an address no trunk allows');
    return reject(403, 'Forbidden');
  }
  const call = await reserveChannel(app, tenantId, { sipCallId: req.callId, fromNumber: row.from_number, toNumber: row.to_number, trunkId: trunk.id });
  if (call === 'duplicate') return reject(482, 'Loop Detected');
  if (call === 'full') return reject(503, 'Channel limit reached');
  const handed = await handOver(app, tenantId, row.id);
  const em = tenantEm(app.orm, tenantId);
  // a token is good for one call: claimed with the transfer's row as the lock
  const claimed = handed && (await em.getConnection().execute<{ id: string }[]>(
    'update call_transfer set to_call_id = ? where id = ? and tenant_id = ? and to_call_id is null returning id',
    [call.id, row.id, tenantId],
  )).length > 0;
  if (!claimed) {
    await endCall(app, tenantId, call.id, { sipCode: 404, endedBy: 'api' });
    return reject(404, 'Not Found');
  }
  await offer(app, tenantId, row);
  const campaign = {
    ringSeconds: row.ring_seconds ?? 20,
    noAgentAction: row.no_agent_action ?? NoAgentAction.BUSY,
    recordCalls: row.record_calls ?? false,
  };
  const decision = await settle(app, { tenantId, tenantSlug: row.slug, campaign }, call.id, row.interaction_id);
  // the next agent sees the caller the interaction has, whatever the carrier's new INVITE says
  const presentAs = row.from_number ?? 'anonymous';
  return decision.action === 'agent' && presentAs !== req.fromUser ? { ...decision, presentAs } : decision;
}

/** The waiting call enters its queue now, and is offered to the target agent or by the queue's dispatcher. */
async function offer(app: App, tenantId: string, row: Row): Promise<void> {
  const now = app.clock.now();
  const offered = await tenantEm(app.orm, tenantId).transactional(async (tx) => {
    const i = await tx.findOneOrFail(Interaction, { id: row.interaction_id, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (i.state !== InteractionState.QUEUED) return null;
    i.queuedAt = now;
    if (!row.agent_id) return null;
    const locked = await tx.getConnection().execute('select user_id from agent_state where user_id = ? and tenant_id = ? for update', [row.agent_id, tenantId], 'all', tx.getTransactionContext());
    if (!locked.length || !(await canTakeCall(tx, tenantId, row.agent_id))) return null;
    makeOffer(app, tx, i, row.agent_id, now);
    return i;
  });
  if (offered) publish(app, tenantId, InteractionEventKind.OFFERED, subject(offered));
  else if (row.queue_id) await dispatchQueue(app, tenantId, row.queue_id);
}

interface Settled {
  state: string;
  agent_id: string | null;
  queue_id: string | null;
}

/**
 * After the new leg was offered (or could not be): the agent to ring, or the campaign's no-agent
 * answer. One statement ties the call to the interaction and settles it: an offer keeps its agent
 * and gets the ringing time; anything else is lost (a caller cannot wait yet).
 */
async function settle(
  app: App,
  did: Pick<DidRoute, 'tenantId' | 'tenantSlug'> & { campaign: Pick<DidRoute['campaign'], 'ringSeconds' | 'noAgentAction' | 'recordCalls'> },
  callId: string,
  interactionId: string,
): Promise<RouteDecision> {
  const { tenantId, campaign } = did;
  const now = app.clock.now();
  const expires = new Date(now.getTime() + (campaign.ringSeconds + OFFER_GRACE_SECONDS) * 1000);
  const [i] = await app.orm.em.getConnection().execute<Settled[]>(
    `with c as (update call set interaction_id = ?, record = ? where id = ? and tenant_id = ?)
     update interaction set
       offer_expires_at = case when state = 'OFFERED' and agent_id is not null then ?::timestamptz else null end,
       ended_at = case when state = 'OFFERED' and agent_id is not null then ended_at else ?::timestamptz end,
       state = case when state = 'OFFERED' and agent_id is not null then state else 'ABANDONED' end
      where id = ? and tenant_id = ?
      returning state, agent_id, queue_id`,
    [interactionId, campaign.recordCalls, callId, tenantId, expires, now, interactionId, tenantId],
  );
  if (!i) throw new Error(`interaction ${interactionId} vanished while its transferred call was routed`);
  if (i.state === 'OFFERED') {
    return { action: 'agent', aor: agentAor(i.agent_id!, did.tenantSlug, app.config.telephony), interactionId, record: campaign.recordCalls, ringSeconds: campaign.ringSeconds };
  }
  publish(app, tenantId, InteractionEventKind.ABANDONED, { interactionId, queueId: i.queue_id, agentId: i.agent_id });
  const busy = campaign.noAgentAction === NoAgentAction.BUSY;
  await endCall(app, tenantId, callId, { sipCode: busy ? 486 : 480, endedBy: 'api' });
  return busy ? reject(486, 'Busy Here') : reject(480, 'Temporarily Unavailable');
}
