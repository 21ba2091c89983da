import { LockMode } from '@mikro-orm/core';
import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { tenantEm } from '../../platform/db/orm.js';
import { emSql } from '../../platform/db/sql.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { Disposition } from '../campaigns/campaign.entity.js';
import { AgentState, AgentStatus } from '../agents/agent-state.entity.js';
import { AGENT_STATE_CHANGED } from '../agents/agent-state.events.js';
import { agentState } from '../agents/agent-states.service.js';
import { Channel, DeliveryState, Interaction, InteractionOffer, InteractionState, Message, MessageSender, OfferOutcome } from '../interactions/interaction.entity.js';
import { InteractionEventKind } from '../interactions/interaction.events.js';
import { toMessageSnapshot } from '../interactions/interactions.service.js';
import { agentLoad, canTake, dispatchQueue, makeOffer } from './dispatch.js';
import { Queue } from '../queues/queue.entity.js';
import { publish, subject } from './routing.events.js';
import { requestCallTransfer } from '../telephony/transfers/request-transfer.js';
import { ADAPTER_CHANNELS, queueSend } from '../channels/outbound.js';

async function ownOffered(tx: Em, tenantId: string, agentId: string, interactionId: string, state: InteractionState): Promise<Interaction> {
  const i = await tx.findOne(Interaction, { id: interactionId, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!i) throw notFound('Interaction');
  if (i.agent?.id !== agentId) throw notFound('Interaction');
  if (i.state !== state) throw new AppError(ErrorCode.CONFLICT, `The interaction is ${i.state}, not ${state}`);
  return i;
}

async function settleOffer(tx: Em, interactionId: string, agentId: string, outcome: OfferOutcome, at: Date) {
  await tx.nativeUpdate(InteractionOffer, { interaction: interactionId, agent: agentId, outcome: OfferOutcome.PENDING }, { outcome, decidedAt: at });
}

/** The agent takes an interaction offered to it: ACTIVE, and the agent BUSY. */
export async function accept(app: App, tenantId: string, agentId: string, interactionId: string): Promise<Interaction> {
  const em = tenantEm(app.orm, tenantId);
  const now = app.clock.now();
  const interaction = await em.transactional(async (tx) => {
    const i = await ownOffered(tx, tenantId, agentId, interactionId, InteractionState.OFFERED);
    Object.assign(i, { state: InteractionState.ACTIVE, answeredAt: now, offerExpiresAt: null });
    await settleOffer(tx, i.id, agentId, OfferOutcome.ACCEPTED, now);
    await tx.nativeUpdate(AgentState, { user: agentId, tenant: tenantId, status: AgentStatus.AVAILABLE }, { status: AgentStatus.BUSY, since: now });
    return i;
  });
  publish(app, tenantId, InteractionEventKind.ANSWERED, subject(interaction));
  await announceAgent(app, tenantId, agentId);
  return interaction;
}

/** The agent turns an offer down; routing offers it to someone else. */
export async function decline(app: App, tenantId: string, agentId: string, interactionId: string): Promise<Interaction> {
  const i = await returnToQueue(app, tenantId, interactionId, OfferOutcome.DECLINED, agentId);
  await dispatchQueue(app, tenantId, i.queue!.id);
  return i;
}

export async function returnToQueue(app: App, tenantId: string, interactionId: string, outcome: OfferOutcome, agentId: string): Promise<Interaction> {
  const em = tenantEm(app.orm, tenantId);
  const now = app.clock.now();
  const i = await em.transactional(async (tx) => {
    const row = await ownOffered(tx, tenantId, agentId, interactionId, InteractionState.OFFERED);
    Object.assign(row, { state: InteractionState.QUEUED, agent: null, offerExpiresAt: null });
    await settleOffer(tx, row.id, agentId, outcome, now);
    return row;
  });
  publish(app, tenantId, InteractionEventKind.RETURNED, { ...subject(i), agentId });
  return i;
}

/**
 * Ends the agent's interaction with an optional disposition (of its campaign) and notes. The
 * agent goes to WRAP_UP for the queue's wrap-up time once it has nothing else open.
 */
export async function close(
  app: App,
  tenantId: string,
  agentId: string,
  interactionId: string,
  outcome: { dispositionId?: string | null; notes?: string | null },
): Promise<Interaction> {
  const em = tenantEm(app.orm, tenantId);
  const now = app.clock.now();
  const i = await em.transactional(async (tx) => {
    const row = await tx.findOne(Interaction, { id: interactionId, tenant: tenantId }, { populate: ['queue'], lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row || row.agent?.id !== agentId) throw notFound('Interaction');
    // WRAP_UP: the customer already left; the agent still records the outcome
    if (row.state !== InteractionState.ACTIVE && row.state !== InteractionState.WRAP_UP) {
      throw new AppError(ErrorCode.CONFLICT, `The interaction is ${row.state}, not ACTIVE`);
    }
    let disposition = null;
    if (outcome.dispositionId) {
      disposition = await tx.findOne(Disposition, { id: outcome.dispositionId, tenant: tenantId, active: true });
      if (!disposition || disposition.campaign.id !== row.campaign?.id) throw notFound('Disposition');
    }
    if (outcome.notes && outcome.notes.length > 10_000) throw badInput('Notes have at most 10,000 characters', 'notes');
    Object.assign(row, { state: InteractionState.CLOSED, endedAt: row.endedAt ?? now, disposition, notes: outcome.notes?.trim() || null });
    await releaseAgent(tx, tenantId, agentId, row.id, now, row.queue?.wrapUpSeconds ?? 0);
    return row;
  });
  publish(app, tenantId, InteractionEventKind.CLOSED, subject(i));
  await announceAgent(app, tenantId, agentId);
  if (i.queue) await dispatchQueue(app, tenantId, i.queue.id);
  return i;
}

export async function announceAgent(app: App, tenantId: string, agentId: string) {
  app.events.publish(AGENT_STATE_CHANGED, tenantId, await agentState(tenantEm(app.orm, tenantId), tenantId, agentId));
}

/**
 * An agent writes to the customer of its active written interaction; stored before it is
 * acknowledged. On an adapter channel (SMS, Telegram) it is QUEUED for a send job.
 */
export async function agentMessage(app: App, tenantId: string, agentId: string, interactionId: string, body: string): Promise<Message> {
  const text = body.trim();
  if (!text || text.length > 4000) throw badInput('A message is 1 to 4000 characters', 'body');
  const em = tenantEm(app.orm, tenantId);
  const message = await em.transactional(async (tx) => {
    const i = await tx.findOne(Interaction, { id: interactionId, tenant: tenantId });
    if (!i || i.agent?.id !== agentId) throw notFound('Interaction');
    if (i.channel === Channel.VOICE) throw badInput('Voice interactions have no messages', 'interactionId');
    if (i.state !== InteractionState.ACTIVE) throw new AppError(ErrorCode.CONFLICT, `The interaction is ${i.state}, not ACTIVE`);
    return tx.create(Message, {
      tenant: tenantId,
      interaction: i,
      sender: MessageSender.AGENT,
      author: agentId,
      body: text,
      deliveryState: ADAPTER_CHANNELS.has(i.channel) ? DeliveryState.QUEUED : DeliveryState.SENT,
      createdAt: app.clock.now(),
    });
  });
  publish(app, tenantId, InteractionEventKind.MESSAGE, subject(message.interaction), message.id, null, toMessageSnapshot(message));
  if (message.deliveryState === DeliveryState.QUEUED) await queueSend(app, tenantId, interactionId, message.id);
  return message;
}


/**
 * Hands an active interaction to another queue (it waits there like a new one) or straight to
 * an agent who can take it now (offered to that agent; declined, it returns to its queue). A
 * call is transferred by the agent's phone instead (`requestCallTransfer`): the interaction
 * moves when the caller's side accepts the REFER.
 */
export async function transfer(
  app: App,
  tenantId: string,
  agentId: string,
  interactionId: string,
  to: { queueId?: string | null; agentId?: string | null },
): Promise<Interaction> {
  const em = tenantEm(app.orm, tenantId);
  const now = app.clock.now();
  // a call's media stays where SIP put it: the agent's phone REFERs the caller to a target the API issues
  const peek = await em.findOne(Interaction, { id: interactionId, tenant: tenantId }, { fields: ['channel'] });
  if (peek?.channel === Channel.VOICE) return requestCallTransfer(app, tenantId, agentId, interactionId, to);
  const i = await em.transactional(async (tx) => {
    const row = await tx.findOne(Interaction, { id: interactionId, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row || row.agent?.id !== agentId) throw notFound('Interaction');
    if (row.state !== InteractionState.ACTIVE) throw new AppError(ErrorCode.CONFLICT, `The interaction is ${row.state}, not ACTIVE`);
    if (!to.queueId === !to.agentId) throw badInput('Transfer to a queue or to an agent (one of them)', to.queueId ? 'agentId' : 'queueId');
    if (to.queueId) {
      const queue = await tx.findOne(Queue, { id: to.queueId, tenant: tenantId });
      if (!queue) throw notFound('Queue');
      Object.assign(row, { state: InteractionState.QUEUED, queue, agent: null, queuedAt: now, offeredAt: null, answeredAt: null });
    } else {
      if (to.agentId === agentId) throw badInput('The interaction is already yours', 'agentId');
      const target = await tx.findOne(AgentState, { user: to.agentId!, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!target) throw notFound('Agent');
      if (!canTake(await agentLoad(tx, tenantId, to.agentId!), row.channel)) {
        throw new AppError(ErrorCode.AGENT_UNAVAILABLE, 'That agent cannot take it now; transfer to a queue instead');
      }
      Object.assign(row, { answeredAt: null });
      makeOffer(app, tx, row, to.agentId!, now);
    }
    await releaseAgent(tx, tenantId, agentId, row.id, now, 0);
    return row;
  });
  publish(app, tenantId, InteractionEventKind.TRANSFERRED, subject(i));
  await announceAgent(app, tenantId, agentId);
  if (to.queueId) await dispatchQueue(app, tenantId, to.queueId);
  return i;
}

/**
 * An agent is done with one interaction: with nothing else ACTIVE it leaves BUSY, for WRAP_UP
 * during `wrapUpSeconds` (closing) or straight to AVAILABLE (handing it on). One statement.
 */
export async function releaseAgent(tx: Em, tenantId: string, agentId: string, exceptId: string, now: Date, wrapUpSeconds: number) {
  const release = releaseAgentSql(tenantId, agentId, exceptId, now, wrapUpSeconds);
  await emSql(tx)(`with ${release.cte} select 1`, release.params);
}

/**
 * `releaseAgent` as a CTE named `released` (one row, the agent's id, when its state changed), for
 * statements that write more in one go; `params` are its placeholders' values, in order.
 */
export function releaseAgentSql(tenantId: string, agentId: string | null, exceptId: string, now: Date, wrapUpSeconds: number): { cte: string; params: unknown[] } {
  const wrap = wrapUpSeconds > 0;
  return {
    cte: `released as (
      update agent_state set status = ?, since = ?, ${wrap ? 'wrap_up_ends_at = ?' : 'idle_since = ?'}
       where user_id = ? and tenant_id = ? and status = 'BUSY'
         and not exists (select 1 from interaction x where x.agent_id = ? and x.tenant_id = ? and x.state = 'ACTIVE' and x.id <> ?)
      returning user_id)`,
    params: [
      wrap ? AgentStatus.WRAP_UP : AgentStatus.AVAILABLE, now, wrap ? new Date(now.getTime() + wrapUpSeconds * 1000) : now,
      agentId, tenantId, agentId, tenantId, exceptId,
    ],
  };
}

/** Tells the customer the agent is (or stopped) typing. */
export async function agentTyping(app: App, tenantId: string, agentId: string, interactionId: string, active: boolean): Promise<boolean> {
  const i = await tenantEm(app.orm, tenantId).findOne(Interaction, { id: interactionId, tenant: tenantId });
  if (!i || i.agent?.id !== agentId) throw notFound('Interaction');
  if (i.state !== InteractionState.ACTIVE) return false;
  publish(app, tenantId, InteractionEventKind.TYPING, subject(i), null, { by: 'AGENT', active });
  return true;
}
