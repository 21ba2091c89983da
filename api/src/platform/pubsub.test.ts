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

  it('listens from subscribe(), so events published before the first next() are kept', async () => {
    const bus = boundedPubSub(new EventTarget());
    const events = bus.subscribe('T', 'a');
    bus.publish('T', 'a', 'while the resolver read the database');
    bus.publish('T', 'a', 'and another');
    assert.deepEqual(await events.next(), { value: 'while the resolver read the database', done: false });
    assert.deepEqual(await events.next(), { value: 'and another', done: false });
    await events.return?.();
  });

  it('stops listening to a subscription never read once too much waits', () => {
    const target = new EventTarget();
    let listeners = 0;
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    target.addEventListener = (...args: Parameters<EventTarget['addEventListener']>) => (listeners++, add(...args));
    target.removeEventListener = (...args: Parameters<EventTarget['removeEventListener']>) => (listeners--, remove(...args));
    const bus = boundedPubSub(target, 3);
    bus.subscribe('T', 'a');
    assert.equal(listeners, 1);
    for (let n = 0; n < 5; n++) bus.publish('T', 'a', n);
    assert.equal(listeners, 0, 'the abandoned subscription let go of the topic');
  });
});
