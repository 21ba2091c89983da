import type { EntityName } from '@mikro-orm/core';
import type { Em } from '../../platform/db/orm.js';
import { Contact } from '../contacts/contact.entity.js';
import { User } from '../identity/user.entity.js';
import { Campaign } from '../campaigns/campaign.entity.js';
import { Queue } from '../queues/queue.entity.js';
import { notFound } from '../../platform/errors.js';
import { paginate, type PageArgs } from '../../platform/connection.js';
import { DeliveryState, Interaction, Message, MessageSender } from './interaction.entity.js';
import type { MessageSnapshot } from './interaction.events.js';
import type { InteractionFilter, InteractionType, MessageType } from './interaction.type.js';

export const toInteractionType = (i: Interaction): InteractionType => ({
  id: i.id,
  channel: i.channel,
  direction: i.direction,
  state: i.state,
  customerAddress: i.customerAddress ?? null,
  subject: i.subject ?? null,
  createdAt: i.createdAt,
  queuedAt: i.queuedAt ?? null,
  offeredAt: i.offeredAt ?? null,
  answeredAt: i.answeredAt ?? null,
  endedAt: i.endedAt ?? null,
  notes: i.notes ?? null,
  recordingRef: i.recordingRef ?? null,
  transcriptPurgedAt: i.transcriptPurgedAt ?? null,
  contactId: i.contact?.id ?? null,
  campaignId: i.campaign?.id ?? null,
  queueId: i.queue?.id ?? null,
  agentId: i.agent?.id ?? null,
  dispositionId: i.disposition?.id ?? null,
});

export const toMessageType = (m: Message): MessageType => ({
  id: m.id,
  sender: m.sender,
  authorId: m.author?.id ?? null,
  body: m.body,
  deliveryState: m.deliveryState,
  createdAt: m.createdAt,
});

/** What a MESSAGE event carries, so that subscribers do not read the message back. */
export const toMessageSnapshot = (m: Pick<Message, 'id' | 'sender' | 'body' | 'deliveryState' | 'createdAt'> & { author?: { id: string } | null }): MessageSnapshot => ({
  id: m.id,
  sender: m.sender,
  authorId: m.author?.id ?? null,
  body: m.body,
  deliveryState: m.deliveryState,
  createdAt: m.createdAt.toISOString(),
});

export const fromMessageSnapshot = (m: MessageSnapshot): MessageType => ({
  id: m.id,
  sender: m.sender as MessageSender,
  authorId: m.authorId,
  body: m.body,
  deliveryState: m.deliveryState as DeliveryState,
  createdAt: new Date(m.createdAt),
});

export async function getInteraction(em: Em, tenantId: string, id: string, onlyAgentId?: string): Promise<Interaction> {
  const i = await em.findOne(Interaction, { id, tenant: tenantId });
  if (!i || (onlyAgentId && i.agent?.id !== onlyAgentId)) throw notFound('Interaction');
  return i;
}

/** Ids in a filter must name something of the tenant: another tenant's id is NOT_FOUND, not an empty list. */
async function assertFilterIds(em: Em, tenantId: string, filter: InteractionFilter) {
  // `any`: one list of different entity types
  const checks: [string | undefined, EntityName<any>, string][] = [
    [filter.contactId, Contact, 'Contact'],
    [filter.agentId, User, 'Agent'],
    [filter.campaignId, Campaign, 'Campaign'],
    [filter.queueId, Queue, 'Queue'],
  ];
  for (const [id, entity, what] of checks) {
    if (id && !(await em.count(entity, { id, tenant: tenantId } as never))) throw notFound(what);
  }
}

/** Interactions matching the filter; `onlyAgentId` limits them to one agent's (agents see their own). */
export async function searchInteractions(em: Em, tenantId: string, filter: InteractionFilter, page: PageArgs, onlyAgentId?: string) {
  await assertFilterIds(em, tenantId, filter);
  const where = {
    tenant: tenantId,
    ...(filter.contactId && { contact: filter.contactId }),
    ...(filter.channel && { channel: filter.channel }),
    ...(filter.state && { state: filter.state }),
    ...(filter.campaignId && { campaign: filter.campaignId }),
    ...(filter.queueId && { queue: filter.queueId }),
    ...((onlyAgentId ?? filter.agentId) && { agent: onlyAgentId ?? filter.agentId }),
    ...((filter.from || filter.to) && { createdAt: { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) } }),
  };
  if (onlyAgentId && filter.agentId && filter.agentId !== onlyAgentId) return { edges: [], totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
  const conn = await paginate(em, Interaction, where, page);
  return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: toInteractionType(e.node) })) };
}

export async function listMessages(em: Em, tenantId: string, interactionId: string, page: PageArgs) {
  const conn = await paginate(em, Message, { tenant: tenantId, interaction: interactionId }, page);
  return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: toMessageType(e.node) })) };
}
