import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resumeState } from './resume.js';

interface Event { id: string | null }
const options = { variable: 'afterMessageId', cursorOf: (e: Event) => e.id };

describe('resume from a cursor', () => {
  it('sends the caller variables until a cursor is delivered, then the newest one', () => {
    const state = resumeState(options, { interactionIds: ['i'] });
    assert.deepEqual(state.variables(), { interactionIds: ['i'] });
    assert.equal(state.accept({ id: '0002' }), true);
    assert.equal(state.accept({ id: null }), true, 'events without a cursor always pass');
    assert.equal(state.accept({ id: '0001' }), true, 'an older message not seen yet still passes');
    assert.deepEqual(state.variables(), { interactionIds: ['i'], afterMessageId: '0002' });
  });

  it('drops what was delivered already, and the message it started after', () => {
    const state = resumeState(options, { afterMessageId: '0005' });
    assert.equal(state.accept({ id: '0005' }), false);
    assert.equal(state.accept({ id: '0006' }), true);
    assert.equal(state.accept({ id: '0006' }), false);
    assert.equal(state.cursor, '0006');
  });
});
