import type { Sql } from '../../../platform/db/sql.js';
import { InteractionState, type Direction } from '../../interactions/interaction.entity.js';
import { releaseAgentSql } from '../../routing/agent-actions.js';
import type { CallEvent } from '../kamailio.contract.js';
import type { CallStep } from './call-state.js';

/** A call and its interaction, read and locked by `lockCall`. */
export interface LockedCall {
  id: string;
  tenant_id: string;
  record: boolean;
  recording: string | null;
  sip_ended_at: Date | null;
  sip_event_at: Date | null;
  /** 'transfer' on a leg the caller's side was transferred away from. */
  ended_by: string | null;
  interaction_id: string;
  state: InteractionState;
  direction: Direction;
  agent_id: string | null;
  queue_id: string | null;
  answered_at: Date | null;
  wrap_up_seconds: number | null;
  /** The interaction's agent was disabled, lost the agent role or was deleted. */
  agent_gone: boolean;
  /** The queue pauses an agent who misses a call. */
  missed_call_pause: boolean | null;
  /** The caller's From-tag (a call whose queue holds callers) and when it started hearing music on hold. */
  from_tag: string | null;
  held_at: Date | null;
}

/**
 * The call (by Call-ID, tied to `interactionId`) and its interaction, both rows locked until the
 * commit: the call's row lock is the per-call lock that applies its events one at a time, and a
 * locking read returns the rows as the previous event left them. Null: no such call.
 */
export async function lockCall(sql: Sql, callId: string, interactionId: string): Promise<LockedCall | null> {
  const [row] = await sql<LockedCall>(
    `select c.id, c.tenant_id, c.record, c.recording, c.sip_ended_at, c.sip_event_at, c.ended_by, c.from_tag, c.held_at, q.missed_call_pause,
            i.id as interaction_id, i.state, i.direction, i.agent_id, i.queue_id, i.answered_at, q.wrap_up_seconds,
            (u.id is null or u.status <> 'ACTIVE' or u.role <> 'AGENT') as agent_gone
       from call c
       join interaction i on i.id = c.interaction_id and i.tenant_id = c.tenant_id
       left join queue q on q.id = i.queue_id and q.tenant_id = i.tenant_id
       left join app_user u on u.id = i.agent_id and u.tenant_id = i.tenant_id
      where c.sip_call_id = ? and c.interaction_id = ?
      for update of c, i`,
    [callId, interactionId],
  );
  return row ?? null;
}

/** The interaction's state once `step` is applied. */
export function stateAfter(c: LockedCall, step: CallStep): InteractionState {
  switch (step.do) {
    case 'answer':
      return InteractionState.ACTIVE;
    case 'agent-failed':
    case 'abandon':
      return InteractionState.ABANDONED;
    case 'agent-missed':
      return InteractionState.QUEUED;
    case 'unanswered':
      return InteractionState.CLOSED;
    case 'end':
    case 'late-answer':
      return InteractionState.WRAP_UP;
    default:
      return c.state;
  }
}

const ENDS = new Set<CallEvent['event']>(['ended', 'failed', 'transferred']);

/**
 * Applies one step to the locked call in one statement: the call's own row (its end, once: the
 * first end wins; Kamailio's time of the event; the recording to look for), the interaction, its
 * offer and the agent's state. Answers whether the agent's state changed.
 */
export async function writeStep(sql: Sql, c: LockedCall, step: CallStep, event: CallEvent, now: Date, recordingPending: boolean): Promise<boolean> {
  const at = new Date(event.at);
  const ends = ENDS.has(event.event);
  const parts: string[] = [];
  const params: unknown[] = [];
  const part = (cte: string, values: unknown[]) => (parts.push(cte), params.push(...values));
  part(
    `c as (update call set sip_event_at = greatest(sip_event_at, ?::timestamptz)${
      ends ? `, sip_ended_at = coalesce(sip_ended_at, ?::timestamptz), sip_code = case when ended_at is null then ?::int else sip_code end,
       ended_by = case when ended_at is null then ?::text else ended_by end, ended_at = coalesce(ended_at, ?::timestamptz)` : ''
    }${recordingPending ? `, recording = 'PENDING'` : ''} where id = ?)`,
    ends ? [at, at, event.code ?? (event.event === 'ended' ? 200 : null), event.by?.slice(0, 20) ?? null, now, c.id] : [at, c.id],
  );
  const i = [c.interaction_id, c.tenant_id];
  const agent = c.agent_id;
  switch (step.do) {
    case 'answer':
      part(`i as (update interaction set state = 'ACTIVE', answered_at = ?, offer_expires_at = null where id = ? and tenant_id = ? and state = 'OFFERED')`, [now, ...i]);
      part(`o as (update interaction_offer set outcome = 'ACCEPTED', decided_at = ? where interaction_id = ? and agent_id = ? and outcome = 'PENDING')`, [now, c.interaction_id, agent]);
      part(`released as (update agent_state set status = 'BUSY', since = ? where user_id = ? and tenant_id = ? and status = 'AVAILABLE' returning user_id)`, [now, agent, c.tenant_id]);
      break;
    case 'agent-failed':
      part(`o as (update interaction_offer set outcome = ?, decided_at = ? where interaction_id = ? and agent_id = ? and outcome = 'PENDING')`, [step.outcome, now, c.interaction_id, agent]);
      part(`i as (update interaction set state = 'ABANDONED', ended_at = ?, offer_expires_at = null, agent_id = null where id = ? and tenant_id = ?)`, [now, ...i]);
      break;
    case 'agent-missed':
      // back to the head of its queue: its first arrival time is kept; the agent is paused so it is not rung again at once
      part(`o as (update interaction_offer set outcome = ?, decided_at = ? where interaction_id = ? and agent_id = ? and outcome = 'PENDING')`, [step.outcome, now, c.interaction_id, agent]);
      part(`i as (update interaction set state = 'QUEUED', agent_id = null, offered_at = null, offer_expires_at = null where id = ? and tenant_id = ? and state = 'OFFERED')`, i);
      if (c.missed_call_pause !== false) {
        part(
          `released as (update agent_state set status = 'PAUSED', pause_reason = 'Missed call', since = ? where user_id = ? and tenant_id = ? and status in ('AVAILABLE', 'BUSY') returning user_id)`,
          [now, agent, c.tenant_id],
        );
      }
      break;
    case 'abandon':
    case 'unanswered':
      part(`i as (update interaction set state = ?, ended_at = ?, offer_expires_at = null where id = ? and tenant_id = ?)`, [stateAfter(c, step), now, ...i]);
      break;
    case 'end': {
      // answered and over: the agent records the outcome (closeInteraction) during the queue's wrap-up time
      part(`i as (update interaction set state = 'WRAP_UP', ended_at = ? where id = ? and tenant_id = ?)`, [now, ...i]);
      const release = releaseAgentSql(c.tenant_id, agent, c.interaction_id, now, c.wrap_up_seconds ?? 0);
      part(release.cte, release.params);
      break;
    }
    case 'late-answer': {
      // answered `sip_ended_at - at` before the end: the talk time Kamailio saw, ending when the end was applied
      part(
        `i as (update interaction set state = 'WRAP_UP', answered_at = greatest(offered_at, ended_at - (?::timestamptz - ?::timestamptz)) where id = ? and tenant_id = ?)`,
        [c.sip_ended_at, at, ...i],
      );
      part(`o as (update interaction_offer set outcome = 'ACCEPTED', decided_at = ? where interaction_id = ? and agent_id = ? and outcome = 'PENDING')`, [now, c.interaction_id, agent]);
      // the agent, free since the early end, goes to wrap-up like after any answered call (unless it took another one meanwhile)
      const wrap = c.wrap_up_seconds ?? 0;
      part(
        `released as (update agent_state set status = 'WRAP_UP', since = ?, wrap_up_ends_at = ?
           where ?::int > 0 and user_id = ? and tenant_id = ? and status = 'AVAILABLE'
             and not exists (select 1 from interaction x where x.agent_id = ? and x.tenant_id = ? and x.state in ('OFFERED', 'ACTIVE') and x.id <> ?)
          returning user_id)`,
        [now, new Date(now.getTime() + wrap * 1000), wrap, agent, c.tenant_id, agent, c.tenant_id, c.interaction_id],
      );
      break;
    }
    default:
      break;
  }
  const changed = parts.some((p) => p.startsWith('released'));
  const [row] = await sql<{ changed: boolean }>(`with ${parts.join(',\n')} select ${changed ? 'exists (select 1 from released)' : 'false'} as changed`, params);
  return !!row?.changed;
}
