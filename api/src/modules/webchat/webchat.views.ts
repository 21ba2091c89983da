import type { Em } from '../../platform/db/orm.js';
import { User } from '../identity/user.entity.js';
import { Interaction, Message } from '../interactions/interaction.entity.js';
import type { VisitorConversationType, VisitorMessageType } from './webchat.type.js';

/** Agent names by id, for what visitors see. */
async function agentNames(em: Em, tenantId: string, ids: (string | undefined)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((i): i is string => !!i))];
  if (!unique.length) return new Map();
  const users = await em.find(User, { id: { $in: unique }, tenant: tenantId });
  return new Map(users.map((u) => [u.id, u.name]));
}

export async function visitorMessages(em: Em, tenantId: string, interactionId: string, afterId?: string | null): Promise<VisitorMessageType[]> {
  const rows = await em.find(
    Message,
    { tenant: tenantId, interaction: interactionId, ...(afterId && { id: { $gt: afterId } }) },
    { orderBy: { id: 'asc' }, limit: 500 },
  );
  const names = await agentNames(em, tenantId, rows.map((m) => m.author?.id));
  return rows.map((m) => ({
    id: m.id,
    sender: m.sender,
    agentName: m.author ? (names.get(m.author.id) ?? null) : null,
    body: m.body,
    createdAt: m.createdAt,
  }));
}

export async function conversation(em: Em, tenantId: string, interactionId: string | null): Promise<VisitorConversationType> {
  if (!interactionId) return { state: null, agentName: null, messages: [] };
  const i = await em.findOneOrFail(Interaction, { id: interactionId, tenant: tenantId });
  const answered = i.answeredAt && i.agent ? (await agentNames(em, tenantId, [i.agent.id])).get(i.agent.id) ?? null : null;
  return { state: i.state, agentName: answered, messages: await visitorMessages(em, tenantId, interactionId) };
}
