import type { App } from '../../../platform/context.js';
import { Rollback, sqlOnce, sqlTransaction } from '../../../platform/db/sql.js';
import { uuidv7 } from '../../../platform/ids.js';
import { AnonymousCalls, NoAgentAction } from '../../campaigns/campaign.entity.js';
import { IdentifierKind } from '../../contacts/identifiers.js';
import { Channel, InteractionState } from '../../interactions/interaction.entity.js';
import { InteractionEventKind } from '../../interactions/interaction.events.js';
import { announceOffer, offerNext, type Offer } from '../../routing/dispatch.js';
import { insertInteraction, whenQueued } from '../../routing/receive.js';
import { publish, type EventSubject } from '../../routing/routing.events.js';
import { agentAor } from '../sip-identity.js';
import type { RouteDecision, RouteRequest } from '../kamailio.contract.js';
import { didRoute, type DidRoute } from './did-route.js';
import { takeChannel, type CallRow } from './channels.js';
import { reject } from './route-request.js';
import { asE164, callerNumber } from './numbers.js';
import { holdCaller } from '../waiting/wait-media.js';

/** Seconds the API's own offer outlives the agent's ringing, so Kamailio's failure event decides first. */
export const OFFER_GRACE_SECONDS = 10;
/** Dispatch steps one decision may take (older waiting interactions of the queue go first). */
const MAX_STEPS = 20;

/**
 * An INVITE from a carrier to one of the platform's numbers: the DID names the tenant and the
 * campaign; the call must come from one of that tenant's trunks; then the same rules as every
 * channel (blacklist, schedule, contact, queue, offer: `receive`'s) pick the agent.
 *
 * One statement reads everything the checks need (`didRoute`); what is written is written in one
 * transaction: the interaction and its contact, the offer (routing's own dispatch step, agents
 * locked `for update skip locked`), and last the call under the licence lock (the channel limit),
 * so the tenant's licence row is held only for the end of the transaction. Answers, in order:
 * 404 unknown number, 403 untrusted source, 503 channels full, 482 a Call-ID seen before, 433 an
 * anonymous caller the campaign refuses, 403 blacklisted, 480 closed, then the agent or the
 * no-agent answer. The caller is who P-Asserted-Identity says (the trunk is trusted: only a
 * configured trunk gets past the allow-list), else the From user; the blacklist checks both
 * (a clean asserted identity must not carry a blocked From through), each normalised like every
 * stored number (`callerNumber`: `00` prefix, separators, URIs). An anonymous caller (no usable
 * number: withheld, `anonymous`, or `Privacy: id`; RFC 3323/3325/5079) the campaign accepts is
 * routed like any call, without a contact, customer address or display name.
 */
export async function routeInbound(app: App, req: RouteRequest): Promise<RouteDecision> {
  const number = asE164(req.ruriUser);
  if (!number) return reject(404, 'Not Found');
  const withheld = privacyRequested(req.privacy);
  const asserted = callerNumber(req.assertedUser);
  const fromUser = callerNumber(req.fromUser);
  const presented = asserted ?? fromUser;
  // both identities meet the blacklist, a withheld number too (privacy must not get a blocked
  // caller through); a withheld one is never stored, shown, or matched to a contact
  const did = await didRoute(app, number, req.sourceIp, [asserted, fromUser]);
  const caller = withheld ? null : presented;
  if (!did) return reject(404, 'Not Found');
  const { tenantId, campaign } = did;
  if (!did.trunkId) {
    app.log.warn({ tenantId, sourceIp: req.sourceIp, did: number }, 'refused a call from an address no trunk allows');
    return reject(403, 'Forbidden');
  }
  const call = { sipCallId: req.callId, fromNumber: caller, toNumber: number, trunkId: did.trunkId, interactionId: null, record: false };
  const now = app.clock.now();
  const failed = (why: string) => {
    app.log.error({ tenantId, callId: req.callId, campaignId: campaign.id }, `route decision failed: ${why}`);
    return refuse(app, tenantId, call, 500, 'Server Internal Error');
  };
  if (!caller && campaign.anonymousCalls === AnonymousCalls.REJECT) return refuse(app, tenantId, call, 433, 'Anonymity Disallowed');
  // a number nobody knows cannot be blacklisted: blockedBy is null for a caller with no number at all
  if (did.blockedBy) {
    app.log.info({ tenantId, channel: Channel.VOICE, entry: did.blockedBy }, 'refused a blacklisted sender');
    return refuse(app, tenantId, call, 403, 'Forbidden');
  }
  // closed (out of hours); a voice call cannot leave a message yet
  if (whenQueued(campaign, Channel.VOICE, now).closed) return refuse(app, tenantId, call, 480, 'Closed');
  if (!campaign.default_queue_id) return failed('the campaign has no queue');
  // a queue that holds callers: the caller may wait with music (rtpengine needs its SDP and From-tag)
  const hold = campaign.callWaitSeconds && req.fromTag && req.sdp ? { fromTag: req.fromTag, sdp: req.sdp } : null;
  const decision = await decide(app, did, { ...call, fromTag: hold?.fromTag ?? null }, caller, withheld ? undefined : req.fromName, now, hold?.sdp);
  // the agent's phone shows the From user (a desk phone may show P-Asserted-Identity): make it say
  // what the API decided about the caller; a withheld caller always, so Kamailio strips the headers
  const presentAs = withheld ? 'anonymous' : asserted && caller !== req.fromUser ? caller : null;
  return decision.action === 'agent' && presentAs ? { ...decision, presentAs } : decision;
}

/**
 * RFC 3323: `Privacy: id` (the asserted identity), `user` or `header` withholds who calls from us,
 * whatever From and P-Asserted-Identity say; `none` (or no header) does not.
 */
function privacyRequested(privacy: string | undefined): boolean {
  return !!privacy && privacy.split(/[;,]/).some((value) => ['id', 'user', 'header'].includes(value.trim().toLowerCase()));
}

/** A call refused after the channel check: written already ended (it holds no channel); 503 or 482 win over the refusal. */
function refuse(app: App, tenantId: string, call: Omit<CallRow, 'end'>, code: number, reason: string): Promise<RouteDecision> {
  return sqlTransaction(app.orm, async (sql) => {
    const taken = await takeChannel(app, sql, tenantId, { ...call, end: { sipCode: code, endedBy: 'api' } });
    return taken === 'full' ? reject(503, 'Channel limit reached') : taken === 'duplicate' ? reject(482, 'Loop Detected') : reject(code, reason);
  });
}

/**
 * The new interaction, routing's offer and the call, in one transaction. Offered: the agent to
 * ring for the campaign's ring time; otherwise the interaction is lost at once (nobody can take
 * it now, and a caller cannot wait yet: no queue music or IVR) and the call gets the campaign's
 * no-agent answer. Events are published after the commit.
 */
async function decide(
  app: App,
  did: DidRoute,
  call: Omit<CallRow, 'end'>,
  caller: string | null,
  name: string | undefined,
  now: Date,
  holdSdp?: string,
): Promise<RouteDecision> {
  const { tenantId, campaign } = did;
  const queueId = campaign.default_queue_id!;
  const interactionId = uuidv7();
  const busy = campaign.noAgentAction === NoAgentAction.BUSY;
  const expires = new Date(now.getTime() + (campaign.ringSeconds + OFFER_GRACE_SECONDS) * 1000);
  const waits = !!holdSdp;
  const outcome = await sqlTransaction<RouteDecision | { offers: Offer[]; mine: EventSubject | null }>(app.orm, async (sql) => {
    await insertInteraction(sql, tenantId, {
      channel: Channel.VOICE, campaignId: campaign.id, from: caller, customerName: name, kind: IdentifierKind.PHONE, id: interactionId, queueId, now, queuedAt: now,
    });
    const offers: Offer[] = [];
    for (let n = 0; n < MAX_STEPS && !offers.some((o) => o.interactionId === interactionId); n++) {
      const offer = await offerNext(app, sql, tenantId, queueId, now, (id) => (id === interactionId ? expires : null));
      if (!offer) break;
      offers.push(offer);
    }
    const mine = offers.find((o) => o.interactionId === interactionId) ?? null;
    // nobody free: lost at once, unless the queue holds callers (then it stays QUEUED while the caller waits)
    if (!mine && !waits) {
      await sql(`update interaction set state = 'ABANDONED', ended_at = ?, offer_expires_at = null where id = ? and tenant_id = ?`, [now, interactionId, tenantId]);
    }
    const end = mine || waits ? null : { sipCode: busy ? 486 : 480, endedBy: 'api' };
    const taken = await takeChannel(app, sql, tenantId, { ...call, interactionId, record: campaign.recordCalls, end });
    if (taken === 'full') throw new Rollback(reject(503, 'Channel limit reached'));
    if (taken === 'duplicate') throw new Rollback(reject(482, 'Loop Detected'));
    return { offers, mine };
  });
  if (!('offers' in outcome)) return outcome;
  publish(app, tenantId, InteractionEventKind.CREATED, { interactionId, queueId, agentId: null, state: InteractionState.QUEUED });
  // an older waiting caller offered on the way is rung by the telephony side (waiting-calls.ts)
  for (const offer of outcome.offers) if (offer.interactionId === interactionId) publish(app, tenantId, InteractionEventKind.OFFERED, offer); else announceOffer(app, tenantId, offer);
  if (outcome.mine) {
    return {
      action: 'agent',
      aor: agentAor(outcome.mine.agentId!, did.tenantSlug, app.config.telephony),
      interactionId,
      record: campaign.recordCalls,
      ringSeconds: campaign.ringSeconds,
      ...(waits && { hunt: true }),
    };
  }
  if (waits) {
    const sdp = await holdCaller(app, { callId: call.sipCallId, fromTag: call.fromTag!, sdp: holdSdp, interactionId }).catch((err: Error) => {
      app.log.error({ err, tenantId, callId: call.sipCallId }, 'could not hold the caller in rtpengine: no-agent answer');
      return null;
    });
    if (sdp) {
      await sqlOnce(app.orm, 'update call set held_at = ? where sip_call_id = ?', [now, call.sipCallId]);
      return { action: 'wait', interactionId, sdp, record: campaign.recordCalls };
    }
    await sqlOnce(app.orm, `update interaction set state = 'ABANDONED', ended_at = ? where id = ? and tenant_id = ? and state = 'QUEUED'`, [now, interactionId, tenantId]);
    await sqlOnce(app.orm, `update call set ended_at = ?, sip_code = ?, ended_by = 'api' where sip_call_id = ? and ended_at is null`, [now, busy ? 486 : 480, call.sipCallId]);
  }
  publish(app, tenantId, InteractionEventKind.ABANDONED, { interactionId, queueId, agentId: null });
  return busy ? reject(486, 'Busy Here') : reject(480, 'Temporarily Unavailable');
}
