import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Direction, InteractionState as S, OfferOutcome } from '../../interactions/interaction.entity.js';
import type { CallEvent } from '../kamailio.contract.js';
import { callStep, orderedStep, type CallSnapshot } from './call-state.js';

const IN = Direction.INBOUND;
const OUT = Direction.OUTBOUND;
const step = (state: S, direction: Direction, event: CallEvent['event'], code?: number, by?: string) => callStep(state, direction, { event, code, by }).do;

describe('call events -> interaction steps', () => {
  it('rings, then answers an offered call', () => {
    assert.equal(step(S.OFFERED, IN, 'ringing'), 'nothing');
    assert.equal(step(S.OFFERED, IN, 'answered'), 'answer');
    assert.equal(step(S.OFFERED, OUT, 'answered'), 'answer');
    assert.equal(step(S.QUEUED, IN, 'answered'), 'nothing', 'nobody was offered it');
  });

  it("counts the agent's refusals against the offer and the caller's cancel as abandoned", () => {
    assert.deepEqual(callStep(S.OFFERED, IN, { event: 'failed', code: 486 }), { do: 'agent-failed', outcome: OfferOutcome.DECLINED });
    assert.deepEqual(callStep(S.OFFERED, IN, { event: 'failed', code: 603 }), { do: 'agent-failed', outcome: OfferOutcome.DECLINED });
    assert.deepEqual(callStep(S.OFFERED, IN, { event: 'failed', code: 408 }), { do: 'agent-failed', outcome: OfferOutcome.TIMED_OUT });
    assert.deepEqual(callStep(S.OFFERED, IN, { event: 'failed', code: 480 }), { do: 'agent-failed', outcome: OfferOutcome.TIMED_OUT });
    assert.deepEqual(callStep(S.OFFERED, IN, { event: 'failed' }), { do: 'agent-failed', outcome: OfferOutcome.TIMED_OUT }, 'no code: unreachable');
    assert.equal(step(S.OFFERED, IN, 'failed', 487), 'abandon');
    assert.equal(step(S.OFFERED, IN, 'failed', 486, 'caller'), 'abandon');
    assert.equal(step(S.OFFERED, IN, 'ended'), 'abandon');
    assert.equal(step(S.QUEUED, IN, 'failed', 486), 'abandon');
  });

  it('closes an outbound call that never connected', () => {
    assert.equal(step(S.OFFERED, OUT, 'failed', 486), 'unanswered');
    assert.equal(step(S.OFFERED, OUT, 'failed', 487), 'unanswered');
    assert.equal(step(S.OFFERED, OUT, 'ended'), 'unanswered');
  });

  it('holds, resumes, transfers and ends an answered call', () => {
    assert.equal(step(S.ACTIVE, IN, 'held'), 'hold');
    assert.equal(step(S.ACTIVE, IN, 'resumed'), 'resume');
    // a REFER the caller's side accepted is handed over before this mapping (transfers/hand-over.ts)
    assert.deepEqual(callStep(S.ACTIVE, IN, { event: 'transferred' }), { do: 'nothing' });
    assert.deepEqual(callStep(S.ACTIVE, OUT, { event: 'ended', code: 200 }), { do: 'end' });
    assert.deepEqual(callStep(S.ACTIVE, IN, { event: 'failed', code: 500 }), { do: 'end' });
    assert.equal(step(S.ACTIVE, IN, 'answered'), 'nothing', 'a repeated 200 OK');
    assert.equal(step(S.OFFERED, IN, 'held'), 'nothing');
  });

  it('ignores every event once the call is over', () => {
    for (const state of [S.WRAP_UP, S.CLOSED, S.ABANDONED]) {
      for (const event of ['ringing', 'answered', 'held', 'resumed', 'transferred', 'ended', 'failed'] as const) {
        assert.equal(step(state, IN, event, 486), 'nothing', `${state} ${event}`);
      }
    }
  });

  it("takes an 'answered' from before the end already applied as the call's answer, and drops stale holds", () => {
    const ended: CallSnapshot = { state: S.ABANDONED, direction: IN, answered: false, hasAgent: true, sipEndedAt: 2_000, sipEventAt: 2_000 };
    assert.deepEqual(orderedStep(ended, { event: 'answered', at: 1_000 }), { do: 'late-answer' });
    assert.deepEqual(orderedStep({ ...ended, state: S.CLOSED, direction: OUT }, { event: 'answered', at: 2_000 }), { do: 'late-answer' });
    assert.deepEqual(orderedStep(ended, { event: 'answered', at: 2_001 }), { do: 'nothing' }, 'an answer after the end');
    assert.deepEqual(orderedStep({ ...ended, hasAgent: false }, { event: 'answered', at: 1_000 }), { do: 'nothing' }, 'the agent turned it down');
    assert.deepEqual(orderedStep({ ...ended, sipEndedAt: null }, { event: 'answered', at: 1_000 }), { do: 'nothing' }, 'lost before any end event (no agent free)');
    const active: CallSnapshot = { state: S.ACTIVE, direction: IN, answered: true, hasAgent: true, sipEndedAt: null, sipEventAt: 5_000 };
    assert.deepEqual(orderedStep(active, { event: 'held', at: 4_999 }), { do: 'nothing' });
    assert.deepEqual(orderedStep(active, { event: 'held', at: 5_000 }), { do: 'hold' });
    assert.deepEqual(orderedStep(active, { event: 'ended', at: 1 }), { do: 'end' }, 'an end is never stale');
  });
});
