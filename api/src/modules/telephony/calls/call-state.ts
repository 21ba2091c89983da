import { Direction, InteractionState, OfferOutcome } from '../../interactions/interaction.entity.js';
import type { CallEvent } from '../kamailio.contract.js';

/** What one call event does to its VOICE interaction. */
export type CallStep =
  | { do: 'nothing' }
  /** The agent (inbound) or the customer (outbound) answered: ACTIVE, the agent BUSY. */
  | { do: 'answer' }
  /** The offered agent did not take the call; the caller got the failure, so the call is lost too. */
  | { do: 'agent-failed'; outcome: OfferOutcome.DECLINED | OfferOutcome.TIMED_OUT }
  /** The offered agent did not take a call whose queue holds callers: QUEUED again (the caller waits on), the next agent is tried. */
  | { do: 'agent-missed'; outcome: OfferOutcome.DECLINED | OfferOutcome.TIMED_OUT }
  /** The caller gave up before anyone answered: ABANDONED. */
  | { do: 'abandon' }
  /** An outbound call that never connected: CLOSED without an answer. */
  | { do: 'unanswered' }
  /** The conversation is over: WRAP_UP until the agent records the outcome. */
  | { do: 'end' }
  | { do: 'hold' }
  | { do: 'resume' }
  /** An `answered` that arrived after the end it came before: the call was connected, then ended (WRAP_UP). */
  | { do: 'late-answer' };

/** SIP answers by which the agent's phone turned the call down (486 Busy Here, 600 Busy Everywhere, 603 Decline). */
const DECLINED = new Set([486, 600, 603]);
/** 487 Request Terminated: the caller cancelled while it rang. */
const CANCELLED = 487;

/**
 * The mapping from Kamailio's dialog events to interaction states; the same states and events as
 * a chat, for events in order (`orderedStep` puts late ones right). `transferred` is no step: a
 * REFER the caller's side accepted hands the call over to its target (`transfers/hand-over.ts`)
 * before this mapping is consulted. Pure: `call-events.ts` applies
 * the step under the call's row lock, so repeated events (a second BYE) do nothing.
 */
export function callStep(state: InteractionState, direction: Direction, event: Pick<CallEvent, 'event' | 'code' | 'by'>): CallStep {
  const ringing = state === InteractionState.OFFERED || state === InteractionState.QUEUED;
  if (ringing) {
    switch (event.event) {
      case 'answered':
        return state === InteractionState.OFFERED ? { do: 'answer' } : { do: 'nothing' };
      case 'missed':
        // Kamailio holds the INVITE of a hunting call: the caller was not told
        return state === InteractionState.OFFERED ? { do: 'agent-missed', outcome: DECLINED.has(event.code ?? 0) ? OfferOutcome.DECLINED : OfferOutcome.TIMED_OUT } : { do: 'nothing' };
      case 'failed':
      case 'ended':
        if (direction === Direction.OUTBOUND) return { do: 'unanswered' };
        if (state === InteractionState.QUEUED || event.by === 'caller' || event.code === CANCELLED) return { do: 'abandon' };
        if (event.event === 'ended') return { do: 'abandon' };
        return { do: 'agent-failed', outcome: DECLINED.has(event.code ?? 0) ? OfferOutcome.DECLINED : OfferOutcome.TIMED_OUT };
      default:
        return { do: 'nothing' };
    }
  }
  if (state === InteractionState.ACTIVE) {
    switch (event.event) {
      case 'held':
        return { do: 'hold' };
      case 'resumed':
        return { do: 'resume' };
      case 'ended':
      case 'failed':
        return { do: 'end' };
      default:
        return { do: 'nothing' };
    }
  }
  return { do: 'nothing' };
}

/** What the call's rows say when an event is applied (read under the call's lock). */
export interface CallSnapshot {
  state: InteractionState;
  direction: Direction;
  /** The interaction's answer and agent. */
  answered: boolean;
  hasAgent: boolean;
  /** Kamailio's `at` (ms) of the end applied, and of the latest event applied; null before any. */
  sipEndedAt: number | null;
  sipEventAt: number | null;
}

/**
 * `callStep` for events that may arrive out of order: Kamailio posts one call's events from
 * several async workers, so a call's `ended` can be applied before its own `answered`. Kamailio's
 * `at` puts them back in order:
 *  - an `answered` from before the end already applied (the end left the call unanswered) is the
 *    call's answer after all: the call was connected, then ended (`late-answer`);
 *  - a hold or resume older than an event already applied is stale and changes nothing.
 */
export function orderedStep(now: CallSnapshot, event: Pick<CallEvent, 'event' | 'code' | 'by' | 'at'>): CallStep {
  const over = now.state === InteractionState.ABANDONED || now.state === InteractionState.CLOSED;
  if (event.event === 'answered' && over && !now.answered && now.hasAgent && now.sipEndedAt !== null && event.at <= now.sipEndedAt) {
    return { do: 'late-answer' };
  }
  if ((event.event === 'held' || event.event === 'resumed') && now.sipEventAt !== null && event.at < now.sipEventAt) return { do: 'nothing' };
  return callStep(now.state, now.direction, event);
}
