import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../identity/user.entity.js';

export enum AgentStatus {
  OFFLINE = 'OFFLINE',
  AVAILABLE = 'AVAILABLE',
  PAUSED = 'PAUSED',
  BUSY = 'BUSY',
  WRAP_UP = 'WRAP_UP',
}

/** An agent's routing state; one row per agent, created on first change. */
export const AgentState = defineEntity({
  name: 'AgentState',
  tableName: 'agent_state',
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    tenant: () => p.manyToOne(Tenant).index(),
    status: p.enum(() => AgentStatus),
    pauseReason: p.string().length(80).nullable(),
    /** When the status last changed. */
    since: p.datetime(),
    /** Written interactions (chat, SMS, e-mail...) at once; voice is always one at a time. */
    writtenCapacity: p.integer().default(3),
    /** When the agent last became free: longest-idle routing picks the oldest. */
    idleSince: p.datetime().nullable(),
    /** While WRAP_UP: when routing makes the agent AVAILABLE again. */
    wrapUpEndsAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
});
export type AgentState = InferEntity<typeof AgentState>;
