import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../identity/user.entity.js';

export enum RoutingStrategy {
  /** The available agent who has waited longest since their last interaction. */
  LONGEST_IDLE = 'LONGEST_IDLE',
  /** Agents in turn, starting after the one offered last. */
  ROUND_ROBIN = 'ROUND_ROBIN',
}

/** Where interactions wait for an agent. */
export const Queue = defineEntity({
  name: 'Queue',
  tableName: 'queue',
  uniques: [{ properties: ['tenant', 'name'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    name: p.string().length(120),
    strategy: p.enum(() => RoutingStrategy),
    /** Time an agent keeps after each interaction before the next offer. */
    wrapUpSeconds: p.integer(),
    /** Answered within this many seconds counts as within service level. */
    serviceLevelSeconds: p.integer(),
    /** After this long waiting, an interaction moves to the overflow queue; null waits forever. */
    maxWaitSeconds: p.integer().nullable(),
    overflowQueue: () => p.manyToOne(Queue).nullable().deleteRule('set null'),
    /** Calls: how long a caller with no free agent waits with music on hold; null: never (the campaign's no-agent answer at once). */
    callWaitSeconds: p.integer().nullable(),
    /** Calls: an agent who declines or misses an offered call is PAUSED ("Missed call") so it is not rung again at once. */
    missedCallPause: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Queue = InferEntity<typeof Queue>;

/** An agent who takes interactions from a queue. */
export const QueueMember = defineEntity({
  name: 'QueueMember',
  tableName: 'queue_member',
  properties: {
    tenant: () => p.manyToOne(Tenant),
    queue: () => p.manyToOne(Queue).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade').index(),
  },
});
export type QueueMember = InferEntity<typeof QueueMember>;
