import DataLoader from 'dataloader';
import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { paginate, type PageArgs } from '../../platform/connection.js';
import { Role } from '../../platform/auth/permissions.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../identity/user.entity.js';
import { Queue, QueueMember } from './queue.entity.js';
import type { QueueInput } from './queue.input.js';
import type { QueueType } from './queue.type.js';

export const toQueueType = (q: Queue): QueueType => ({
  id: q.id,
  name: q.name,
  strategy: q.strategy,
  wrapUpSeconds: q.wrapUpSeconds,
  serviceLevelSeconds: q.serviceLevelSeconds,
  maxWaitSeconds: q.maxWaitSeconds ?? null,
  callWaitSeconds: q.callWaitSeconds ?? null,
  missedCallPause: q.missedCallPause ?? true,
  createdAt: q.createdAt,
  overflowQueueId: q.overflowQueue?.id ?? null,
});

export async function getQueue(em: Em, tenantId: string, id: string): Promise<Queue> {
  const queue = await em.findOne(Queue, { id, tenant: tenantId });
  if (!queue) throw notFound('Queue');
  return queue;
}

export const listQueues = (em: Em, tenantId: string, page: PageArgs) => paginate(em, Queue, { tenant: tenantId }, page);

async function assertNameFree(em: Em, tenantId: string, name: string, exceptId?: string) {
  if (await em.count(Queue, { tenant: tenantId, name, ...(exceptId && { id: { $ne: exceptId } }) })) {
    throw new AppError(ErrorCode.CONFLICT, `A queue named "${name}" exists`, { field: 'name' });
  }
}

/** The overflow target, refusing chains that lead back to `queueId` (an interaction would circle forever). */
async function overflowTarget(em: Em, tenantId: string, targetId: string | undefined, queueId?: string): Promise<Queue | null> {
  if (!targetId) return null;
  const target = await getQueue(em, tenantId, targetId);
  for (let q: Queue | null = target, hops = 0; q && hops < 50; hops++) {
    if (q.id === queueId) throw badInput('Overflow would lead back to this queue', 'overflowQueueId');
    q = q.overflowQueue ? await getQueue(em, tenantId, q.overflowQueue.id) : null;
  }
  return target;
}

export async function createQueue(em: Em, tenantId: string, input: QueueInput): Promise<Queue> {
  await assertNameFree(em, tenantId, input.name);
  const queue = em.create(Queue, {
    tenant: em.getReference(Tenant, tenantId),
    name: input.name,
    strategy: input.strategy,
    wrapUpSeconds: input.wrapUpSeconds,
    serviceLevelSeconds: input.serviceLevelSeconds,
    maxWaitSeconds: input.maxWaitSeconds ?? null,
    callWaitSeconds: input.callWaitSeconds ?? null,
    missedCallPause: input.missedCallPause ?? true,
    overflowQueue: await overflowTarget(em, tenantId, input.overflowQueueId),
  });
  await em.flush();
  return queue;
}

export async function updateQueue(em: Em, tenantId: string, id: string, input: QueueInput): Promise<Queue> {
  const queue = await getQueue(em, tenantId, id);
  const overflow = await overflowTarget(em, tenantId, input.overflowQueueId, id);
  await assertNameFree(em, tenantId, input.name, id);
  em.assign(queue, {
    name: input.name,
    strategy: input.strategy,
    wrapUpSeconds: input.wrapUpSeconds,
    serviceLevelSeconds: input.serviceLevelSeconds,
    maxWaitSeconds: input.maxWaitSeconds ?? null,
    callWaitSeconds: input.callWaitSeconds ?? null,
    missedCallPause: input.missedCallPause ?? true,
    overflowQueue: overflow,
  });
  await em.flush();
  return queue;
}

/** Replaces the agents of a queue; each must be an active AGENT of the tenant. */
export async function setQueueMembers(em: Em, tenantId: string, queueId: string, userIds: readonly string[]): Promise<Queue> {
  return em.transactional(async (tx) => {
    const queue = await getQueue(tx, tenantId, queueId);
    const unique = [...new Set(userIds)];
    const users = unique.length ? await tx.find(User, { id: { $in: unique }, tenant: tenantId }) : [];
    if (users.length !== unique.length) throw notFound('User');
    const notAgents = users.filter((u) => u.role !== Role.AGENT);
    if (notAgents.length) throw badInput(`Only agents join queues: ${notAgents.map((u) => u.email).join(', ')}`, 'userIds');
    await tx.nativeDelete(QueueMember, { queue: queueId, tenant: tenantId });
    for (const user of users) tx.create(QueueMember, { tenant: tenantId, queue, user });
    return queue;
  });
}

/** Batches "agents of these queues" into one query per request. */
export function membersByQueueLoader(em: Em, tenantId: string) {
  return new DataLoader<string, User[]>(async (queueIds) => {
    const rows = await em.find(QueueMember, { tenant: tenantId, queue: { $in: [...queueIds] } }, { populate: ['user'], orderBy: { user: { name: 'asc' } } });
    const byQueue = new Map<string, User[]>(queueIds.map((id) => [id, []]));
    for (const r of rows) byQueue.get(r.queue.id)?.push(r.user);
    return queueIds.map((id) => byQueue.get(id)!);
  });
}
