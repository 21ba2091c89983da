import type { App } from '../../../platform/context.js';
import { sqlOnce, sqlTransaction } from '../../../platform/db/sql.js';
import { isUuid } from '../../../platform/ids.js';
import { InteractionState } from '../../interactions/interaction.entity.js';
import { InteractionEventKind } from '../../interactions/interaction.events.js';
import { announceAgent } from '../../routing/agent-actions.js';
import { publish, type EventSubject } from '../../routing/routing.events.js';
import type { CallEvent } from '../kamailio.contract.js';
import { orderedStep, type CallStep } from './call-state.js';
import { lockCall, stateAfter, writeStep, type LockedCall } from './call-event-sql.js';
import { attachRecording } from '../recordings/attach.js';
import { referAccepted } from '../transfers/hand-over.js';
import { hangUp } from './hang-up.js';
import { stopHoldMusic } from '../waiting/wait-media.js';
import { huntNext } from '../waiting/waiting-calls.js';

const EVENTS = new Set<CallEvent['event']>(['ringing', 'answered', 'held', 'resumed', 'transferred', 'ended', 'failed', 'missed']);

export function parseCallEvent(body: unknown): CallEvent | null {
  const b = body as Partial<CallEvent>;
  if (typeof b.callId !== 'string' || !b.callId || b.callId.length > 255 || typeof b.interactionId !== 'string' || !isUuid(b.interactionId)) return null;
  if (!EVENTS.has(b.event as CallEvent['event']) || typeof b.at !== 'number' || !Number.isFinite(b.at)) return null;
  if (b.code !== undefined && (!Number.isInteger(b.code) || b.code < 100 || b.code > 699)) return null;
  if ((b.by !== undefined && typeof b.by !== 'string') || (b.reason !== undefined && typeof b.reason !== 'string')) return null;
  if (b.target !== undefined && (typeof b.target !== 'string' || b.target.length > 64)) return null;
  return b as CallEvent;
}

export type CallEventResult = { ok: true; state: InteractionState } | { ok: false; status: 404 };

interface Applied {
  c: LockedCall;
  step: CallStep;
  state: InteractionState;
  agentChanged: boolean;
  recordingPending: boolean;
}

/**
 * Applies one dialog event of a call the API routed to its VOICE interaction, in one transaction
 * of plain statements: the call and its interaction are locked (one call's events, posted by
 * Kamailio from parallel workers, are applied one at a time), `orderedStep` decides with
 * Kamailio's `at` (a late `answered` still counts), one statement writes the call, the
 * interaction, the offer and the agent. Events and the recording follow the commit. Unknown
 * call, or a call id and interaction id that do not belong together: 404.
 */
export async function applyCallEvent(app: App, event: CallEvent): Promise<CallEventResult> {
  // ringing changes nothing: one read answers it
  if (event.event === 'ringing') return currentState(app, event);
  if (event.event === 'transferred' || (event.event === 'ended' && event.target)) {
    const handed = await handOverLeg(app, event);
    if (handed) return handed;
    // a REFER to no transfer of ours (or one that expired): the call goes on with its agent
    if (event.event === 'transferred') return currentState(app, event);
  }
  const now = app.clock.now();
  const applied = await sqlTransaction<Applied | null>(app.orm, async (sql) => {
    const c = await lockCall(sql, event.callId, event.interactionId);
    if (!c) return null;
    // a leg the caller's side was transferred away from: the interaction follows its new leg now
    if (c.ended_by === 'transfer') return { c, step: { do: 'nothing' }, state: c.state, agentChanged: false, recordingPending: false };
    const step = orderedStep(
      {
        state: c.state,
        direction: c.direction,
        answered: c.answered_at !== null,
        hasAgent: c.agent_id !== null,
        sipEndedAt: c.sip_ended_at ? new Date(c.sip_ended_at).getTime() : null,
        sipEventAt: c.sip_event_at ? new Date(c.sip_event_at).getTime() : null,
      },
      event,
    );
    const state = stateAfter(c, step);
    // a recorded call that was answered has media: convert it once the call is committed (or the sweep will)
    const recordingPending = c.record && !c.recording && state === InteractionState.WRAP_UP && c.state !== InteractionState.WRAP_UP;
    const agentChanged = await writeStep(sql, c, step, event, now, recordingPending);
    return { c, step, state, agentChanged, recordingPending };
  });
  if (!applied) return { ok: false, status: 404 };
  await announce(app, applied);
  if (applied.step.do === 'answer' && applied.c.agent_gone) endAnswerOfRemovedAgent(app, applied.c);
  // a caller who waited: the music stops for the agent's voice
  if (applied.step.do === 'answer' && applied.c.held_at && applied.c.from_tag) await stopHoldMusic(app, event.callId, applied.c.from_tag);
  if (applied.step.do === 'agent-missed') {
    const { c } = applied;
    // after this request is answered: Kamailio's event worker is not kept waiting on the hunt
    setImmediate(() => {
      huntNext(app, c.tenant_id, c.interaction_id).catch((err: Error) => app.log.error({ err, interactionId: c.interaction_id }, 'could not hunt for the next agent'));
    });
  }
  if (applied.recordingPending) {
    const { c } = applied;
    await attachRecording(app, c.tenant_id, event.callId, c.interaction_id).catch((err) => app.log.error({ err, callId: c.id }, 'recording conversion failed'));
  }
  return { ok: true, state: applied.state };
}

async function currentState(app: App, event: CallEvent): Promise<CallEventResult> {
  const [row] = await sqlOnce<{ state: InteractionState }>(
    app.orm,
    'select i.state from call c join interaction i on i.id = c.interaction_id and i.tenant_id = c.tenant_id where c.sip_call_id = ? and c.interaction_id = ?',
    [event.callId, event.interactionId],
  );
  return row ? { ok: true, state: row.state } : { ok: false, status: 404 };
}

/** Kamailio's `transferred` (or the end of a leg after one) for a transfer of ours: hands the call over. */
async function handOverLeg(app: App, event: CallEvent): Promise<CallEventResult | null> {
  const [leg] = await sqlOnce<{ id: string; tenant_id: string; ended_by: string | null }>(
    app.orm,
    'select id, tenant_id, ended_by from call where sip_call_id = ? and interaction_id = ?',
    [event.callId, event.interactionId],
  );
  if (!leg) return { ok: false, status: 404 };
  if (leg.ended_by === 'transfer') {
    if (event.event === 'ended') await attachLegRecording(app, leg.tenant_id, event);
    return currentState(app, event);
  }
  const handed = await referAccepted(app, leg.tenant_id, { id: leg.id, interactionId: event.interactionId }, event.target);
  if (handed && event.event === 'ended') await attachLegRecording(app, leg.tenant_id, event);
  return handed ? { ok: true, state: handed.state } : null;
}

/**
 * The phone of an agent whose account was just removed answered a call that was ringing it (the
 * withdrawal lost the race): end it like a supervisor's hang-up. After this request is answered,
 * so that Kamailio's event is not waiting on its own BYE.
 */
function endAnswerOfRemovedAgent(app: App, c: LockedCall): void {
  app.log.warn({ tenantId: c.tenant_id, interactionId: c.interaction_id }, 'a removed agent answered a call: ending it');
  setImmediate(() => {
    hangUp(app, c.tenant_id, c.interaction_id).catch((err: Error) =>
      app.log.error({ err, tenantId: c.tenant_id, interactionId: c.interaction_id }, 'could not end the call a removed agent answered'),
    );
  });
}

/** A handed-over leg's dialog ended: its recording (media released first, see kamailio.cfg) is complete. */
async function attachLegRecording(app: App, tenantId: string, event: CallEvent): Promise<void> {
  await attachRecording(app, tenantId, event.callId, event.interactionId).catch((err) =>
    app.log.error({ err, callId: event.callId }, 'recording conversion failed'),
  );
}

/** What subscribers hear of an applied step, after the commit: the same events as a chat's. */
async function announce(app: App, { c, step, agentChanged }: Applied): Promise<void> {
  const tenantId = c.tenant_id;
  const about: EventSubject = { interactionId: c.interaction_id, queueId: c.queue_id, agentId: c.agent_id };
  const tell = (kind: InteractionEventKind, subject: EventSubject = about) => publish(app, tenantId, kind, subject);
  switch (step.do) {
    case 'answer':
      tell(InteractionEventKind.ANSWERED);
      break;
    case 'hold':
      tell(InteractionEventKind.HELD);
      break;
    case 'resume':
      tell(InteractionEventKind.RESUMED);
      break;
    case 'agent-missed':
      tell(InteractionEventKind.RETURNED, { ...about, agentId: c.agent_id, state: InteractionState.QUEUED });
      break;
    case 'agent-failed':
      tell(InteractionEventKind.RETURNED);
      tell(InteractionEventKind.ABANDONED, { ...about, agentId: null });
      break;
    case 'abandon':
      tell(InteractionEventKind.ABANDONED);
      break;
    case 'unanswered':
      tell(InteractionEventKind.CLOSED);
      break;
    case 'end':
      tell(InteractionEventKind.CLOSED);
      break;
    case 'late-answer':
      // connected after all: answered, and already over
      tell(InteractionEventKind.ANSWERED);
      tell(InteractionEventKind.CLOSED);
      break;
    default:
      return;
  }
  if (agentChanged && c.agent_id) await announceAgent(app, tenantId, c.agent_id);
}
