import type { AgentStateType } from './agent-state.type.js';

/** Published per tenant after an agent's state changed and the change committed. */
export const AGENT_STATE_CHANGED = 'AGENT_STATE_CHANGED';

export type AgentStateChangedPayload = AgentStateType;
