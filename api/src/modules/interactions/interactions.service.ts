import type { EntityName } from '@mikro-orm/core';
import type { Em } from '../../platform/db/orm.js';
import { Contact } from '../contacts/contact.entity.js';
import { User } from '../identity/user.entity.js';
import { Campaign } from '../campaigns/campaign.entity.js';
import { Queue } from '../queues/queue.entity.js';
import { badInput, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, lazyCount, paginate, type PageArgs } from '../../platform/connection.js';
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
  deliveryError: m.deliveryError ?? null,
  createdAt: m.createdAt,
});

/** What a MESSAGE event carries, so that subscribers do not read the message back. */
export const toMessageSnapshot = (m: Pick<Message, 'id' | 'sender' | 'body' | 'deliveryState' | 'createdAt'> & { author?: { id: string } | null; deliveryError?: string | null }): MessageSnapshot => ({
  id: m.id,
  sender: m.sender,
  authorId: m.author?.id ?? null,
  body: m.body,
  deliveryState: m.deliveryState,
  deliveryError: m.deliveryError ?? null,
  createdAt: m.createdAt.toISOString(),
});

export const fromMessageSnapshot = (m: MessageSnapshot): MessageType => ({
  id: m.id,
  sender: m.sender as MessageSender,
  authorId: m.authorId,
  body: m.body,
  deliveryState: m.deliveryState as DeliveryState,
  deliveryError: m.deliveryError ?? null,
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

const emptyPage = { edges: [], totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };

/**
 * Interactions matching the filter, oldest first, in (created at, id) order; `onlyAgentId` limits
 * them to one agent's (agents see their own). Keyset paging on that order: every filter has an
 * index (tenant, filter column, created_at, id), so a page costs the same at any depth and for any
 * date range (see docs/performance.md, "Scale"). The cursor is the last row's id; the page resumes
 * after that row's (created at, id). `totalCount` is counted only when it is selected.
 */
export async function searchInteractions(em: Em, tenantId: string, filter: InteractionFilter, page: PageArgs, onlyAgentId?: string) {
  await assertFilterIds(em, tenantId, filter);
  if (onlyAgentId && filter.agentId && filter.agentId !== onlyAgentId) return emptyPage;
  if (!Number.isInteger(page.first) || page.first < 1 || page.first > 100) throw badInput('first must be between 1 and 100', 'first');
  const conditions: [string, unknown][] = [
    ['tenant_id = ?', tenantId],
    ...(
      [
        ['contact_id', filter.contactId],
        ['channel', filter.channel],
        ['state', filter.state],
        ['campaign_id', filter.campaignId],
        ['queue_id', filter.queueId],
        ['agent_id', onlyAgentId ?? filter.agentId],
      ] as const
    ).flatMap(([column, value]) => (value ? [[`${column} = ?`, value] as [string, unknown]] : [])),
    ...(filter.from ? [['created_at >= ?', filter.from] as [string, unknown]] : []),
    ...(filter.to ? [['created_at < ?', filter.to] as [string, unknown]] : []),
  ];
  const where = conditions.map(([sql]) => sql).join(' and ');
  const params = conditions.map(([, value]) => value);
  const after = page.after ? decodeCursor(page.after) : null;
  const conn = em.getConnection();
  const rows = await conn.execute<Record<string, unknown>[]>(
    `select * from interaction where ${where}
       ${after ? 'and (created_at, id) > (select c.created_at, c.id from interaction c where c.id = ? and c.tenant_id = ?)' : ''}
      order by created_at, id limit ?`,
    [...params, ...(after ? [after, tenantId] : []), page.first + 1],
  );
  const nodes = rows.slice(0, page.first).map((row) => toInteractionType(em.map(Interaction, row)));
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node.id) }));
  return {
    edges,
    totalCount: lazyCount(async () => Number((await conn.execute<{ n: string }[]>(`select count(*) as n from interaction where ${where}`, params))[0]!.n)),
    pageInfo: {
      hasNextPage: rows.length > page.first,
      hasPreviousPage: !!after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export async function listMessages(em: Em, tenantId: string, interactionId: string, page: PageArgs) {
  const conn = await paginate(em, Message, { tenant: tenantId, interaction: interactionId }, page);
  return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: toMessageType(e.node) })) };
}
