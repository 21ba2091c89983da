/**
 * A deterministic "the server is listening" signal for subscription tests. graphql-ws sends no
 * acknowledgement for a subscription, and the server registers it only after it has built the
 * subscription's context (a database round trip), so a test that sleeps after connecting and then
 * checks that "nobody else received it" can pass with a subscriber that was simply not there yet.
 * Instead the harness watches the API's own event bus: every subscription reaches it through
 * `pubSub.subscribe(topic, id)`, and listens from that call on (see platform/pubsub.ts).
 */
import type { PubSub } from '../platform/pubsub.js';

export interface ListenerWatch {
  /** Resolves once at least `count` subscriptions have been opened on `topic` for `id` (a tenant id, a conversation id). */
  subscribed(topic: string, id: string, count?: number, timeoutMs?: number): Promise<void>;
}

export function watchListeners(pubSub: PubSub): ListenerWatch {
  const opened = new Map<string, number>();
  const waiters = new Set<() => void>();
  const subscribe = pubSub.subscribe.bind(pubSub);
  pubSub.subscribe = (topic, id) => {
    const iterator = subscribe(topic, id); // listening from here on
    const key = `${topic}:${id}`;
    opened.set(key, (opened.get(key) ?? 0) + 1);
    for (const wake of waiters) wake();
    return iterator;
  };
  return {
    subscribed(topic, id, count = 1, timeoutMs = 10_000) {
      const key = `${topic}:${id}`;
      return new Promise<void>((resolve, reject) => {
        const wake = () => {
          if ((opened.get(key) ?? 0) < count) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`${opened.get(key) ?? 0} of ${count} subscriptions opened on ${key} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(wake);
        wake();
      });
    },
  };
}
