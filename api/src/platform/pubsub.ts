import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import { setMaxListeners } from 'node:events';
import { Redis } from 'ioredis';

/**
 * Event fan-out for subscriptions. In-process by default; with REDIS_URL every API instance
 * publishes to and hears from Redis, so a subscriber on one instance sees events from all.
 * Topics are published with the tenant id as their dynamic id, so subscribers listen on
 * `<topic>:<tenantId>`; a few are keyed by one object's id (a conversation) for subscribers who
 * were checked against that object.
 */
export interface EventBus {
  publish(topic: string, tenantId: string, payload: unknown): void;
  /** The object type-graphql subscribes through. */
  readonly pubSub: ReturnType<typeof createPubSub>;
  close(): Promise<void>;
}

export function createEventBus(redisUrl?: string): EventBus {
  if (!redisUrl) {
    // one EventTarget for every topic: a busy tenant has far more than Node's default 10 listeners
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    const pubSub = createPubSub({ eventTarget });
    return { pubSub, publish: (t, id, p) => pubSub.publish(t, id, p), close: async () => {} };
  }
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const pubSub = createPubSub({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
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
