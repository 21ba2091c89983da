/**
 * Routing under concurrency across processes: two API instances on one database dispatch the
 * same queue at the same time (instance 2 on its own sweep timer, instance 1 in bursts), and no
 * agent is ever offered more than its capacity. Each offer is traced to the instance that made it
 * (a trigger in this test's database records the connection's application_name), so the test
 * shows instance 2 really dispatched.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../api/src/testing/harness.js';
import { signIn } from '../api/src/testing/fixtures.js';
import { floor, type Floor } from '../api/src/testing/contact-centre.js';
import { spawnApi, type ApiProcess } from '../api/src/testing/process.js';
import { Channel } from '../api/src/modules/interactions/index.js';
import { receive, sweep } from '../api/src/modules/routing/index.js';

/** The second instance's PostgreSQL application_name (node-postgres takes it from PGAPPNAME). */
const INSTANCE_2 = 'switchboard-instance-2';

describe('routing across two API instances', () => {
  let one: TestApi;
  let two: ApiProcess | undefined;
  let f: Floor;
  before(async () => {
    one = await startTestApi();
    f = await floor(one, { agents: 3, available: false });
    await sql('create table test_offer_origin (offer_id uuid primary key, made_by text not null)');
    await sql(`create function test_offer_origin() returns trigger language plpgsql as $$
      begin insert into test_offer_origin values (new.id, current_setting('application_name')); return new; end $$`);
    await sql('create trigger test_offer_origin after insert on interaction_offer for each row execute function test_offer_origin()');
  });
  after(async () => {
    await two?.stop();
    await one.stop();
  });

  const sql = <T extends Record<string, unknown>[] = Record<string, unknown>[]>(query: string, params: unknown[] = []) => one.running.app.orm.em.getConnection().execute<T>(query, params);
  const offeredTo = async (agentId: string) => Number((await sql<{ n: string }[]>('select count(*) as n from interaction_offer where agent_id = ?', [agentId]))[0].n);

  it('never offers one agent more than its capacity, with offers made by both instances', async () => {
    const capacity = [2, 1, 3];
    for (const [n, a] of f.agents.entries()) {
      await one.ok('mutation($u: ID!, $c: Int!) { setAgentWrittenCapacity(userId: $u, capacity: $c) { id: userId } }', { u: a.id, c: capacity[n] }, f.t.adminToken);
    }
    // 30 chats wait while nobody is signed in
    for (let n = 0; n < 30; n++) await receive(one.running.app, f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: `crowd-${n}` });
    two = await spawnApi({ DATABASE_URL: one.databaseUrl, SEED_DEMO: 'false', ROUTING_SWEEP_SECONDS: '1', REDIS_URL: '', PGAPPNAME: INSTANCE_2 });
    const available = async (a: Floor['agents'][number]) => {
      const token = await signIn(one, a.email, a.password, f.t.slug);
      await one.ok('mutation { setMyAgentState(status: AVAILABLE) { status } }', {}, token);
    };
    // the first agent is served by instance 2 alone (instance 1 has no sweep timer and is idle)
    await available(f.agents[0]);
    for (const started = Date.now(); (await offeredTo(f.agents[0].id)) < capacity[0]; ) {
      assert.ok(Date.now() - started < 15_000, 'instance 2 made no offer within 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const a of f.agents.slice(1)) await available(a);
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
    const origins = await sql<{ made_by: string; n: string }[]>('select made_by, count(*) as n from test_offer_origin group by made_by');
    const byInstance2 = Number(origins.find((o) => o.made_by === INSTANCE_2)?.n ?? 0);
    assert.ok(byInstance2 >= capacity[0], `instance 2 made ${byInstance2} offers: ${JSON.stringify(origins)}`);
    assert.equal(origins.reduce((sum, o) => sum + Number(o.n), 0), 6, 'every offer was traced');
  });
});
