import { LockMode } from '@mikro-orm/core';
import type { App } from '../../../platform/context.js';
import { tenantEm } from '../../../platform/db/orm.js';
import { Interaction, InteractionState } from '../../interactions/interaction.entity.js';
import { InteractionEventKind } from '../../interactions/interaction.events.js';
import { announceAgent, releaseAgent } from '../../routing/agent-actions.js';
import { publish } from '../../routing/routing.events.js';
import { Call, RecordingStatus } from '../calls/call.entity.js';
import { CallTransfer } from './call-transfer.entity.js';
import { tokenHash, transferToken } from './transfer-token.js';

/**
 * Until its new leg arrives, a handed-over call waits out of routing's sight: QUEUED with a
 * `queuedAt` this far after the transfer's expiry (the dispatcher and the wallboard's waiting
 * figures only look at `queuedAt <= now`, as for a message left out of hours). The new INVITE
 * sets `queuedAt` to its arrival; the calls job abandons it when the INVITE never comes.
 */
export const PARKED_MS = 60 * 60 * 1000;

/** `handOver`'s answer: the interaction's state, or null when there was nothing to hand over. */
export type HandOver = { state: InteractionState; now: boolean } | null;

/**
 * The caller's side took the transfer (202 to the REFER, or its INVITE to the target came first):
 * the first agent's part ends. Under the transfer's and the interaction's row locks, once: the
 * leg is ended (`endedBy: transfer`, 202), the agent goes to wrap-up for the queue's time, the
 * interaction waits for its new leg in the target queue (or its own, for an agent target) and
 * TRANSFERRED is published. Null when the call was no longer the first agent's (it ended first).
 */
export async function handOver(app: App, tenantId: string, transferId: string): Promise<HandOver> {
  const em = tenantEm(app.orm, tenantId);
  const now = app.clock.now();
  const done = await em.transactional(async (tx) => {
    const t = await tx.findOne(CallTransfer, { id: transferId, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!t) return null;
    const i = await tx.findOneOrFail(Interaction, { id: t.interaction.id, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['queue'] });
    if (t.handedOverAt) return { i, agentId: null };
    if (i.state !== InteractionState.ACTIVE || i.agent?.id !== t.fromAgent.id) return null;
    const agentId = t.fromAgent.id;
    const wrapUpSeconds = i.queue?.wrapUpSeconds ?? 0;
    Object.assign(i, {
      state: InteractionState.QUEUED,
      agent: null,
      queue: t.queue ?? i.queue,
      queuedAt: new Date(t.expiresAt.getTime() + PARKED_MS),
      offeredAt: null,
      answeredAt: null,
      offerExpiresAt: null,
    });
    t.handedOverAt = now;
    await tx.nativeUpdate(Call, { id: t.fromCall.id, tenant: tenantId, endedAt: null }, { endedAt: now, sipCode: 202, endedBy: 'transfer' });
    // the first agent's part of a recorded call is the first part of the interaction's recording
    await tx.nativeUpdate(Call, { id: t.fromCall.id, tenant: tenantId, record: true, recording: null }, { recording: RecordingStatus.PENDING });
    await releaseAgent(tx, tenantId, agentId, i.id, now, wrapUpSeconds);
    return { i, agentId };
  });
  if (!done) return null;
  if (done.agentId) {
    // agentId: the agent whose part ended, so its own desk hears of it
    publish(app, tenantId, InteractionEventKind.TRANSFERRED, { interactionId: done.i.id, queueId: done.i.queue?.id ?? null, agentId: done.agentId });
    await announceAgent(app, tenantId, done.agentId);
  }
  return { state: done.i.state, now: !!done.agentId };
}

/**
 * Kamailio's `transferred` (the caller's side answered 2xx to the REFER) or `ended` after one:
 * `target` is the Refer-To user. Hands the call over when it names a transfer of this very leg;
 * null otherwise (an unknown or expired target: the leg's own events decide).
 */
export async function referAccepted(app: App, tenantId: string, call: { id: string; interactionId: string }, target: string | undefined): Promise<HandOver> {
  const token = transferToken(target);
  if (!token) return null;
  const t = await tenantEm(app.orm, tenantId).findOne(CallTransfer, {
    tokenHash: tokenHash(token),
    tenant: tenantId,
    interaction: call.interactionId,
    fromCall: call.id,
  });
  return t && t.expiresAt > app.clock.now() ? handOver(app, tenantId, t.id) : null;
}
