/**
 * Two API processes on one database and one Redis: an event published by either reaches
 * subscribers on the other.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../api/src/testing/harness.js';
import { createTenant, type TenantFixture } from '../api/src/testing/fixtures.js';
import { spawnApi, type ApiProcess } from '../api/src/testing/process.js';
import { skipLocally } from '../api/src/testing/skip.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Redis } from 'ioredis';

const redisUrl = process.env.TEST_REDIS_URL;
const SET = 'mutation($id: ID!, $seats: Int!) { setTenantLicence(tenantId: $id, terms: { kind: OMNI, seats: $seats }) { seats } }';

function listen(url: string, token: string) {
  const seen: number[] = [];
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const ready = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  client.subscribe<{ licenceChanged: { seats: number } }>(
    { query: 'subscription { licenceChanged { seats } }' },
    { next: (m) => seen.push(m.data!.licenceChanged.seats), error: () => {}, complete: () => {} },
  );
  return { seen, ready, close: () => client.dispose() };
}

/** Resolves once `count` API instances listen on the tenant's licence topic in Redis (PUBSUB NUMSUB). */
async function subscribedInRedis(tenantId: string, count: number) {
  const redis = new Redis(redisUrl!);
  try {
    const channel = `LICENCE_CHANGED:${tenantId}`;
    const listeners = async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
    for (let waited = 0; (await listeners()) < count; waited += 25) {
      if (waited > 15_000) assert.fail(`only ${await listeners()} of ${count} instances subscribed to ${channel} in Redis`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    redis.disconnect();
  }
}

async function until(check: () => boolean, ms = 15_000) {
  for (let waited = 0; !check() && waited < ms; waited += 25) await new Promise((r) => setTimeout(r, 25));
}

const skip = skipLocally(redisUrl ? null : 'no Redis available', 'set TEST_REDIS_URL or install redis-server; `npm test` finds one');

describe('events across API instances', { skip }, () => {
  let one: TestApi;
  let two: ApiProcess;
  let tenant: TenantFixture;
  before(async () => {
    one = await startTestApi({ redisUrl });
    two = await spawnApi({ DATABASE_URL: one.databaseUrl, REDIS_URL: redisUrl, SEED_DEMO: 'false' });
    tenant = await createTenant(one, { seats: 5 });
  });
  after(async () => {
    await two?.stop();
    await one?.stop();
  });

  it('delivers an event published on instance 1 to a subscriber on instance 2, and back', async () => {
    const onTwo = listen(two.url, tenant.adminToken);
    const onOne = listen(one.url, tenant.adminToken);
    await Promise.all([onTwo.ready, onOne.ready]);
    await subscribedInRedis(tenant.id, 2);
    await one.ok(SET, { id: tenant.id, seats: 8 }, one.operatorToken);
    await until(() => onTwo.seen.length > 0 && onOne.seen.length > 0);
    assert.deepEqual(onTwo.seen, [8]);
    assert.deepEqual(onOne.seen, [8]);

    const response = await fetch(`${two.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${one.operatorToken}` },
      body: JSON.stringify({ query: SET, variables: { id: tenant.id, seats: 11 } }),
    });
    assert.deepEqual(((await response.json()) as { data: unknown }).data, { setTenantLicence: { seats: 11 } });
    await until(() => onOne.seen.length > 1 && onTwo.seen.length > 1);
    assert.deepEqual(onOne.seen, [8, 11]);
    assert.deepEqual(onTwo.seen, [8, 11]);
    await Promise.all([onOne.close(), onTwo.close()]);
  });
});
