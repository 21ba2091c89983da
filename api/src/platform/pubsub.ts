import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';

/**
 * Event fan-out for subscriptions. In-process by default; with REDIS_URL every API instance
 * publishes to and hears from Redis, so a subscriber on one instance sees events from all.
 * Topics are always published with the tenant id as their dynamic id: subscribers only ever
 * listen on `<topic>:<tenantId>`.
 */
export interface EventBus {
  publish(topic: string, tenantId: string, payload: unknown): void;
  /** The object type-graphql subscribes through. */
  readonly pubSub: ReturnType<typeof createPubSub>;
  close(): Promise<void>;
}

export function createEventBus(redisUrl?: string): EventBus {
  if (!redisUrl) {
    const pubSub = createPubSub();
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
