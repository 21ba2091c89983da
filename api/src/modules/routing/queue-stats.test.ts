import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../platform/clock.js';
import { codeOf, startTestApi, type TestApi } from '../../testing/harness.js';
import { floor } from '../../testing/contact-centre.js';
import { Channel } from '../interactions/index.js';
import { receive } from './receive.js';
import { randomUUID } from 'node:crypto';
import { tenantEm } from '../../platform/db/orm.js';
import { INTERACTION_EVENT } from '../interactions/interaction.events.js';
import { queueStats } from './queue-stats.js';

const STATS = `query($q: [ID!]) { queueStats(queueIds: $q) { queueName waiting longestWaitSeconds agentsAvailable agentsBusy agentsPaused
  agentsWrapUp agentsOffline offeredToday answeredToday abandonedToday serviceLevel averageHandleSeconds } }`;

describe('queue statistics', () => {
  let api: TestApi;
  const clock = new ManualClock('2026-11-23T15:00:00Z');
  before(async () => {
    api = await startTestApi({ clock });
  });
  after(() => api.stop());

  it("count waiting, agents by state, today's offered and answered, service level and handle time", async () => {
    const f = await floor(api, { agents: 2, queue: { serviceLevelSeconds: 20 } });
    const [a, b] = f.agents;
    await api.ok('mutation { setMyAgentState(status: PAUSED, pauseReason: "Training") { status } }', {}, b.token);
    const first = await receive(api.running.app, f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'stats-1' });
    const firstId = first.outcome === 'QUEUED' ? first.interaction.id : '';
    clock.advance(10_000);
    await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id: firstId }, a.token);
    await api.ok('mutation { setMyAgentState(status: AVAILABLE) { status } }', {}, b.token);
    await api.ok('mutation { setMyAgentState(status: PAUSED, pauseReason: "Break") { status } }', {}, b.token);
    await receive(api.running.app, f.t.id, { channel: Channel.VOICE, campaignId: f.campaignId, from: '+1 514 555 0188' });
    clock.advance(45_000);

    const live = (await api.ok(STATS, { q: [f.queueId] }, f.t.adminToken)).queueStats[0];
    assert.deepEqual(live, {
      queueName: 'Q', waiting: 1, longestWaitSeconds: 45, agentsAvailable: 0, agentsBusy: 1, agentsPaused: 1, agentsWrapUp: 0,
      agentsOffline: 0, offeredToday: 2, answeredToday: 1, abandonedToday: 0, serviceLevel: 0.5, averageHandleSeconds: null,
    });

    // the supervisor's wallboard hears about the change
    const seen: number[] = [];
    const client = api.ws(f.t.adminToken);
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ queueStats: { averageHandleSeconds: number | null; agentsWrapUp: number }[] }>(
        { query: 'subscription($q: [ID!]) { queueStats(queueIds: $q) { averageHandleSeconds agentsWrapUp } }', variables: { q: [f.queueId] } },
        { next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : (seen.push(m.data!.queueStats[0].agentsWrapUp), resolve())), error: reject, complete: () => {} },
      );
    });
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: firstId }, a.token);
    for (let i = 0; i < 250 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(seen.slice(0, 2), [0, 1], 'first the figures as they were, then with the agent in wrap-up');
    const after = (await api.ok(STATS, { q: [f.queueId] }, f.t.adminToken)).queueStats[0];
    assert.equal(after.averageHandleSeconds, 45);

    const [agent] = f.agents;
    assert.equal(codeOf(await api.gql(STATS, {}, agent.token)), 'FORBIDDEN');
  });

  it('compute once per tenant and burst of events, shared by every wallboard', async () => {
    const f = await floor(api, { agents: 1 });
    const app = api.running.app;
    // what one computation of the figures costs, in statements
    api.queries.reset();
    await queueStats(tenantEm(app.orm, f.t.id), f.t.id, [], app.clock.now());
    const once = api.queries.count;

    const seen = [0, 0, 0];
    for (const [n, q] of [[0, null], [1, [f.queueId]], [2, null]] as const) {
      const client = api.ws(f.t.adminToken);
      await new Promise<void>((resolve, reject) => {
        client.subscribe<{ queueStats: { waiting: number }[] }>(
          { query: 'subscription($q: [ID!]) { queueStats(queueIds: $q) { waiting } }', variables: { q } },
          { next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : (seen[n]++, resolve())), error: reject, complete: () => {} },
        );
      });
    }
    await api.subscribed(INTERACTION_EVENT, f.t.id);
    api.queries.reset();
    for (let i = 0; i < 5; i++) {
      app.events.publish(INTERACTION_EVENT, f.t.id, { tenantId: f.t.id, kind: 'CREATED', interactionId: randomUUID(), queueId: f.queueId, agentId: null, messageId: null, at: new Date().toISOString() });
    }
    for (let i = 0; i < 250 && seen.some((n) => n < 2); i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(seen, [2, 2, 2], 'every wallboard got the new figures');
    assert.ok(api.queries.count <= once, `one computation for 3 subscribers and 5 events: ${api.queries.count} statements, one computation is ${once}`);
  });
});
