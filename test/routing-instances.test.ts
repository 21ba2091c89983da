/**
 * Routing under concurrency across processes: two API instances on one database dispatch the
 * same queue at the same time (instance 2 on its own sweep timer, instance 1 in bursts), and no
 * agent is ever offered more than its capacity.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../api/src/testing/harness.js';
import { signIn } from '../api/src/testing/fixtures.js';
import { floor, type Floor } from '../api/src/testing/contact-centre.js';
import { spawnApi, type ApiProcess } from '../api/src/testing/process.js';
import { Channel } from '../api/src/modules/interactions/index.js';
import { receive, sweep } from '../api/src/modules/routing/index.js';

describe('routing across two API instances', () => {
  let one: TestApi;
  let two: ApiProcess | undefined;
  let f: Floor;
  before(async () => {
    one = await startTestApi();
    f = await floor(one, { agents: 3, available: false });
  });
  after(async () => {
    await two?.stop();
    await one.stop();
  });

  it('never offers one agent more than its capacity', async () => {
    const capacity = [2, 1, 3];
    for (const [n, a] of f.agents.entries()) {
      await one.ok('mutation($u: ID!, $c: Int!) { setAgentWrittenCapacity(userId: $u, capacity: $c) { id: userId } }', { u: a.id, c: capacity[n] }, f.t.adminToken);
    }
    // 30 chats wait while nobody is signed in
    for (let n = 0; n < 30; n++) await receive(one.running.app, f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: `crowd-${n}` });
    two = await spawnApi({ DATABASE_URL: one.databaseUrl, SEED_DEMO: 'false', ROUTING_SWEEP_SECONDS: '1', REDIS_URL: '' });
    for (const a of f.agents) {
      const token = await signIn(one, a.email, a.password, f.t.slug);
      await one.ok('mutation { setMyAgentState(status: AVAILABLE) { status } }', {}, token);
    }
    // instance 1 sweeps in bursts while instance 2 sweeps every second
    for (let round = 0; round < 6; round++) {
      await Promise.all([sweep(one.running.app), sweep(one.running.app), new Promise((r) => setTimeout(r, 250))]);
    }
    const rows = await one.running.app.orm.em.getConnection().execute<{ agent_id: string; n: string }[]>(
      "select agent_id, count(*) as n from interaction where tenant_id = ? and state = 'OFFERED' group by agent_id",
      [f.t.id],
    );
    const offered = new Map(rows.map((r) => [r.agent_id, Number(r.n)]));
    f.agents.forEach((a, n) => assert.equal(offered.get(a.id), capacity[n], `agent ${n} (capacity ${capacity[n]})`));
    const [{ queued }] = await one.running.app.orm.em.getConnection().execute<{ queued: string }[]>(
      "select count(*) as queued from interaction where tenant_id = ? and state = 'QUEUED'",
      [f.t.id],
    );
    assert.equal(Number(queued), 30 - 6);
    const offers = await one.running.app.orm.em.getConnection().execute<{ n: string }[]>(
      "select count(*) as n from interaction_offer where tenant_id = ?",
      [f.t.id],
    );
    assert.equal(Number(offers[0].n), 6, 'every offer was made exactly once');
  });
});
