import { LockMode } from '@mikro-orm/core';
import type { App } from '../../../platform/context.js';
import type { Em } from '../../../platform/db/orm.js';
import { tenantEm } from '../../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../../platform/errors.js';
import { AgentState } from '../../agents/agent-state.entity.js';
import { User } from '../../identity/user.entity.js';
import { Channel, Interaction, InteractionState } from '../../interactions/interaction.entity.js';
import { Queue } from '../../queues/queue.entity.js';
import { agentLoad, canTake } from '../../routing/dispatch.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { Call } from '../calls/call.entity.js';
import { SOFTPHONE_COMMAND, SoftphoneCommandKind, type SoftphoneCommandPayload } from '../calls/softphone.events.js';
import { sipRegisteredAgents } from '../sip/sip-registrations.js';
import { CallTransfer } from './call-transfer.entity.js';
import { TRANSFER_TTL_SECONDS, newTransferToken, referToUri, tokenHash } from './transfer-token.js';

export interface TransferTarget {
  queueId?: string | null;
  agentId?: string | null;
}

/** The live call (leg) of a VOICE interaction: the one without `endedAt`, newest first. */
export const liveCall = (em: Em, tenantId: string, interactionId: string) =>
  em.findOne(Call, { interaction: interactionId, tenant: tenantId, endedAt: null }, { orderBy: { startedAt: 'desc', id: 'desc' } });

/** Whether an agent can take a call now: the same test routing uses (free line, registered phone). Call with the agent's row locked. */
export async function canTakeCall(tx: Em, tenantId: string, agentId: string): Promise<boolean> {
  if (!canTake(await agentLoad(tx, tenantId, agentId), Channel.VOICE)) return false;
  return (await sipRegisteredAgents(tx, tenantId, [agentId])).has(agentId);
}

/**
 * `transferInteraction` on a VOICE interaction: the same checks as a chat's transfer, then a
 * one-time transfer target (a Refer-To URI) and a TRANSFER command to the agent's own softphone,
 * which REFERs the caller's side there. Nothing moves yet: the interaction stays ACTIVE with the
 * agent until the caller's side accepts the REFER (Kamailio's `transferred` event) or its new
 * INVITE arrives. A carrier that refuses the REFER leaves the call as it was.
 */
export async function requestCallTransfer(app: App, tenantId: string, agentId: string, interactionId: string, to: TransferTarget): Promise<Interaction> {
  const em = tenantEm(app.orm, tenantId);
  const now = app.clock.now();
  const token = newTransferToken();
  const done = await em.transactional(async (tx) => {
    const row = await tx.findOne(Interaction, { id: interactionId, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row || row.agent?.id !== agentId) throw notFound('Interaction');
    if (row.state !== InteractionState.ACTIVE) throw new AppError(ErrorCode.CONFLICT, `The interaction is ${row.state}, not ACTIVE`);
    if (!to.queueId === !to.agentId) throw badInput('Transfer to a queue or to an agent (one of them)', to.queueId ? 'agentId' : 'queueId');
    const call = await liveCall(tx, tenantId, row.id);
    if (!call) throw new AppError(ErrorCode.CONFLICT, 'The interaction has no call in progress');
    let target: string;
    if (to.queueId) {
      const queue = await tx.findOne(Queue, { id: to.queueId, tenant: tenantId });
      if (!queue) throw notFound('Queue');
      target = queue.name;
    } else {
      if (to.agentId === agentId) throw badInput('The call is already yours', 'agentId');
      const state = await tx.findOne(AgentState, { user: to.agentId!, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['user'] });
      if (!state) throw notFound('Agent');
      if (!(await canTakeCall(tx, tenantId, to.agentId!))) {
        throw new AppError(ErrorCode.AGENT_UNAVAILABLE, 'That agent cannot take a call now; transfer to a queue instead');
      }
      target = (state.user as User).name;
    }
    // one pending transfer per call: asking again replaces a target nobody used
    await tx.nativeDelete(CallTransfer, { tenant: tenantId, interaction: row.id, handedOverAt: null, toCall: null });
    tx.create(CallTransfer, {
      tenant: tx.getReference(Tenant, tenantId),
      interaction: row,
      fromAgent: tx.getReference(User, agentId),
      fromCall: call,
      queue: to.queueId ? tx.getReference(Queue, to.queueId) : null,
      agent: to.agentId ? tx.getReference(User, to.agentId) : null,
      tokenHash: tokenHash(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + TRANSFER_TTL_SECONDS * 1000),
    });
    const tenant = await tx.findOneOrFail(Tenant, { id: tenantId });
    return { row, target, referTo: referToUri(token, tenant.slug, app.config.telephony) };
  });
  const command: SoftphoneCommandPayload = {
    userId: agentId,
    kind: SoftphoneCommandKind.TRANSFER,
    interactionId,
    referTo: done.referTo,
    target: done.target,
    at: now.toISOString(),
  };
  app.events.publish(SOFTPHONE_COMMAND, tenantId, command);
  return done.row;
}
