import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import { setMaxListeners } from 'node:events';
import { Redis } from 'ioredis';
import { Repeater } from '@repeaterjs/repeater';

/**
 * Event fan-out for subscriptions. In-process by default; with REDIS_URL every API instance
 * publishes to and hears from Redis, so a subscriber on one instance sees events from all.
 * Topics are published with the tenant id as their dynamic id, so subscribers listen on
 * `<topic>:<tenantId>`; a few are keyed by one object's id (a conversation) for subscribers who
 * were checked against that object.
 */
export interface EventBus {
  publish(topic: string, tenantId: string, payload: unknown): void;
  /** The object type-graphql (and our own subscribe functions) subscribe through. */
  readonly pubSub: PubSub;
  close(): Promise<void>;
}

export interface PubSub {
  publish(topic: string, id: string, payload: unknown): void;
  subscribe(topic: string, id?: string): AsyncIterableIterator<unknown>;
}

/** Events a subscriber may have waiting before it counts as stuck. */
export const MAX_PENDING_EVENTS = 1000;

/**
 * Subscriptions over an EventTarget where a subscriber that falls too far behind is ended (the
 * client sees its subscription complete and subscribes again, resuming from its last message id)
 * instead of buffering without bound or throwing inside the publisher.
 *
 * A subscription listens from the moment `subscribe` is called, not from its first `next()`:
 * resolvers that replay what was stored (messages after a cursor) read the database after
 * subscribing, so an event published while they read is kept, not lost.
 */
export function boundedPubSub(eventTarget: EventTarget, maxPending = MAX_PENDING_EVENTS): PubSub {
  const publisher = createPubSub({ eventTarget });
  return {
    publish: (topic, id, payload) => publisher.publish(topic, id, payload),
    subscribe(topic, id) {
      const key = id === undefined ? topic : `${topic}:${id}`;
      let pending = 0;
      let push: ((value: unknown) => Promise<unknown>) | undefined;
      let end: (() => void) | undefined;
      const early: unknown[] = [];
      const forward = (detail: unknown) => {
        pending++;
        push!(detail).then(
          () => void pending--,
          () => undefined,
        );
      };
      const listener = (event: Event) => {
        if (pending + early.length >= maxPending) {
          // completing (not failing): nobody may be reading to receive an error, and an
          // unread rejection would take the process down
          eventTarget.removeEventListener(key, listener);
          end?.();
          return;
        }
        if (push) forward((event as CustomEvent).detail);
        else early.push((event as CustomEvent).detail);
      };
      eventTarget.addEventListener(key, listener);
      return new Repeater<unknown>(async (repeaterPush, stop) => {
        push = repeaterPush;
        end = () => stop();
        for (const detail of early.splice(0)) forward(detail);
        if (pending >= maxPending) stop();
        await stop;
        eventTarget.removeEventListener(key, listener);
      });
    },
  };
}

export function createEventBus(redisUrl?: string): EventBus {
  if (!redisUrl) {
    // one EventTarget for every topic: a busy tenant has far more than Node's default 10 listeners
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    const pubSub = boundedPubSub(eventTarget);
    return { pubSub, publish: (t, id, p) => pubSub.publish(t, id, p), close: async () => {} };
  }
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const pubSub = boundedPubSub(createRedisEventTarget({ publishClient, subscribeClient }) as unknown as EventTarget);
  return {
    pubSub,
    publish: (t, id, p) => pubSub.publish(t, id, p),
    async close() {
      subscribeClient.disconnect();
      await publishClient.quit().catch(() => publishClient.disconnect());
    },
  };
}

/** Resolves once Redis answers PING, so start-up fails early with a clear message. */
export async function checkRedis(redisUrl: string): Promise<void> {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}
