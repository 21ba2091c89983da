export { AgentState, AgentStatus } from './agent-state.entity.js';
export { agentState, formerAgentState } from './agent-states.service.js';
export { AGENT_STATE_CHANGED } from './agent-state.events.js';
export { AgentStateResolver } from './agent-state.resolver.js';
