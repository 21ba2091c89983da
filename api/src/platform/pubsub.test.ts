import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boundedPubSub } from './pubsub.js';

describe('event bus', () => {
  it('delivers events in order to the subscribers of a topic and id only', async () => {
    const bus = boundedPubSub(new EventTarget());
    const mine = bus.subscribe('T', 'a');
    const first = mine.next(); // starts the subscription
    bus.publish('T', 'b', 'not for a');
    bus.publish('T', 'a', 1);
    bus.publish('T', 'a', 2);
    assert.deepEqual(await first, { value: 1, done: false });
    assert.deepEqual(await mine.next(), { value: 2, done: false });
    await mine.return?.();
  });

  it('ends a subscriber that falls too far behind instead of failing the publisher', async () => {
    const bus = boundedPubSub(new EventTarget(), 5);
    const slow = bus.subscribe('T', 'a');
    const first = slow.next();
    for (let n = 0; n < 20; n++) bus.publish('T', 'a', n); // must not throw
    assert.deepEqual(await first, { value: 0, done: false });
    const rest = [];
    for (let r = await slow.next(); !r.done; r = await slow.next()) rest.push(r.value);
    assert.ok(rest.length <= 5, `at most the pending events are delivered, then it ends (got ${rest.length})`);
    bus.publish('T', 'a', 'after');
    assert.deepEqual(await slow.next(), { value: undefined, done: true });
  });
});
