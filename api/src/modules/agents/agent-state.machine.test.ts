import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AgentStatus as S } from './agent-state.entity.js';
import { canMove, checkMove } from './agent-state.machine.js';

describe('agent state machine', () => {
  it('lets agents choose available, paused and offline, never leave BUSY', () => {
    assert.equal(canMove(S.OFFLINE, S.AVAILABLE, 'agent'), true);
    assert.equal(canMove(S.AVAILABLE, S.PAUSED, 'agent'), true);
    assert.equal(canMove(S.WRAP_UP, S.AVAILABLE, 'agent'), true, 'ending wrap-up early');
    assert.equal(canMove(S.AVAILABLE, S.BUSY, 'agent'), false);
    assert.equal(canMove(S.BUSY, S.OFFLINE, 'agent'), false);
    assert.equal(canMove(S.BUSY, S.PAUSED, 'agent'), false);
  });

  it('lets routing make agents busy and back, but never wake a paused or offline agent', () => {
    assert.equal(canMove(S.AVAILABLE, S.BUSY, 'routing'), true);
    assert.equal(canMove(S.BUSY, S.WRAP_UP, 'routing'), true);
    assert.equal(canMove(S.WRAP_UP, S.AVAILABLE, 'routing'), true);
    assert.equal(canMove(S.PAUSED, S.BUSY, 'routing'), false);
    assert.equal(canMove(S.OFFLINE, S.AVAILABLE, 'routing'), false);
  });

  it('needs a reason to pause and keeps it only while paused', () => {
    assert.equal(checkMove(S.AVAILABLE, S.PAUSED, 'agent', '  Lunch '), 'Lunch');
    assert.equal(checkMove(S.PAUSED, S.PAUSED, 'agent', 'Training'), 'Training', 'changing the reason');
    assert.throws(() => checkMove(S.AVAILABLE, S.PAUSED, 'agent', ' '), /why you pause/);
    assert.equal(checkMove(S.PAUSED, S.AVAILABLE, 'agent', 'ignored'), null);
    assert.throws(() => checkMove(S.BUSY, S.AVAILABLE, 'agent'), /cannot change state until it ends/);
    assert.equal(checkMove(S.AVAILABLE, S.AVAILABLE, 'agent'), null, 'staying put is fine');
  });
});
