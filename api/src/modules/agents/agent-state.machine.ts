import { badInput } from '../../platform/errors.js';
import { AgentStatus } from './agent-state.entity.js';

/**
 * Who may move an agent where. Agents choose OFFLINE, AVAILABLE and PAUSED; BUSY and WRAP_UP
 * are set by routing when interactions are answered and closed. An agent may end its own wrap-up
 * early (WRAP_UP -> AVAILABLE) but never leaves BUSY by hand.
 */
const BY_AGENT: Record<AgentStatus, readonly AgentStatus[]> = {
  [AgentStatus.OFFLINE]: [AgentStatus.AVAILABLE, AgentStatus.PAUSED],
  [AgentStatus.AVAILABLE]: [AgentStatus.PAUSED, AgentStatus.OFFLINE],
  [AgentStatus.PAUSED]: [AgentStatus.AVAILABLE, AgentStatus.OFFLINE],
  [AgentStatus.BUSY]: [],
  [AgentStatus.WRAP_UP]: [AgentStatus.AVAILABLE, AgentStatus.PAUSED],
};

const BY_ROUTING: Record<AgentStatus, readonly AgentStatus[]> = {
  [AgentStatus.OFFLINE]: [],
  [AgentStatus.AVAILABLE]: [AgentStatus.BUSY],
  [AgentStatus.PAUSED]: [],
  [AgentStatus.BUSY]: [AgentStatus.WRAP_UP, AgentStatus.AVAILABLE],
  [AgentStatus.WRAP_UP]: [AgentStatus.AVAILABLE, AgentStatus.BUSY],
};

export type Actor = 'agent' | 'routing';

export function canMove(from: AgentStatus, to: AgentStatus, actor: Actor): boolean {
  return (actor === 'agent' ? BY_AGENT : BY_ROUTING)[from].includes(to);
}

/** Checks a requested change; returns the pause reason to store (only PAUSED keeps one). */
export function checkMove(from: AgentStatus, to: AgentStatus, actor: Actor, pauseReason?: string | null): string | null {
  if (from === to && to !== AgentStatus.PAUSED) return null;
  if (from !== to && !canMove(from, to, actor)) {
    throw badInput(
      from === AgentStatus.BUSY ? 'An agent handling an interaction cannot change state until it ends' : `${from} cannot change to ${to}`,
      'status',
    );
  }
  if (to !== AgentStatus.PAUSED) return null;
  const reason = pauseReason?.trim();
  if (!reason) throw badInput('Say why you pause (e.g. Lunch, Training)', 'pauseReason');
  if (reason.length > 80) throw badInput('A pause reason has at most 80 characters', 'pauseReason');
  return reason;
}
