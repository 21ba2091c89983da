import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi, type TestApi, wsReady } from '../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../testing/fixtures.js';
import { sweep } from '../routing/sweep.js';
import { until } from '../../testing/smtp-peer.js';
import { AGENT_STATE_CHANGED } from './agent-state.events.js';

const SET = 'mutation($s: AgentStatus!, $r: String) { setMyAgentState(status: $s, pauseReason: $r) { userId status pauseReason since writtenCapacity } }';
const LIST = 'query($s: AgentStatus) { agentStates(status: $s) { totalCount edges { node { userId status pauseReason } } } }';

describe('agent states', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('follow the agent: available, paused with a reason, offline; supervisors see them live', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [ana, bob] = await createUsers(api, t.adminToken, 'AGENT', 2);
    const [sup] = await createUsers(api, t.adminToken, 'SUPERVISOR', 1);
    const supToken = await signIn(api, sup.email, sup.password, t.slug);
    const anaToken = await signIn(api, ana.email, ana.password, t.slug);

    const seen: { userId: string; status: string; pauseReason: string | null }[] = [];
    const client = api.ws(supToken);
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ agentStateChanged: (typeof seen)[number] }>(
        { query: 'subscription($u: [ID!]) { agentStateChanged(userIds: $u) { userId status pauseReason } }', variables: { u: [ana.id] } },
        { next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : seen.push(m.data!.agentStateChanged)), error: reject, complete: () => {} },
      );
      void wsReady(client).then(resolve);
    });
    await api.subscribed(AGENT_STATE_CHANGED, t.id);

    assert.deepEqual((await api.ok('{ myAgentState { status since } }', {}, anaToken)).myAgentState, { status: 'OFFLINE', since: null });
    const available = (await api.ok(SET, { s: 'AVAILABLE' }, anaToken)).setMyAgentState;
    assert.equal(available.status, 'AVAILABLE');
    assert.equal(available.writtenCapacity, 3);
    assert.equal(codeOf(await api.gql(SET, { s: 'PAUSED' }, anaToken)), 'BAD_USER_INPUT', 'a pause needs a reason');
    assert.deepEqual((await api.ok(SET, { s: 'PAUSED', r: 'Lunch' }, anaToken)).setMyAgentState.pauseReason, 'Lunch');
    assert.equal(codeOf(await api.gql(SET, { s: 'BUSY' }, anaToken)), 'BAD_USER_INPUT', 'BUSY is for routing');

    const paused = await api.ok(LIST, { s: 'PAUSED' }, supToken);
    assert.deepEqual(paused.agentStates.edges.map((e: { node: unknown }) => e.node), [{ userId: ana.id, status: 'PAUSED', pauseReason: 'Lunch' }]);
    const all = await api.ok(LIST, {}, supToken);
    assert.equal(all.agentStates.totalCount, 2);
    assert.equal(all.agentStates.edges.find((e: { node: { userId: string } }) => e.node.userId === bob.id).node.status, 'OFFLINE');

    // signing out makes the agent OFFLINE, whatever it chose; the routing sweep (every 2 s) tells
    // supervisors and wallboards, and forgets the choice: the next sign-in starts OFFLINE
    await api.ok('mutation { signOut }', {}, anaToken);
    const after = await api.ok(LIST, { s: 'OFFLINE' }, supToken);
    assert.equal(after.agentStates.totalCount, 2);
    await sweep(api.running.app);

    for (let i = 0; i < 250 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(seen, [
      { userId: ana.id, status: 'AVAILABLE', pauseReason: null },
      { userId: ana.id, status: 'PAUSED', pauseReason: 'Lunch' },
      { userId: ana.id, status: 'OFFLINE', pauseReason: null },
    ]);
    const again = await signIn(api, ana.email, ana.password, t.slug);
    assert.equal((await api.ok('{ myAgentState { status } }', {}, again)).myAgentState.status, 'OFFLINE');
    await sweep(api.running.app);
    // nothing more to announce: the next event the supervisor hears is ana's next choice
    await api.ok(SET, { s: 'AVAILABLE' }, again);
    await until(() => seen.length >= 4);
    assert.deepEqual(seen.slice(3), [{ userId: ana.id, status: 'AVAILABLE', pauseReason: null }], 'nothing announced in between');
  });

  it('an agent signed out by a supervisor is OFFLINE for routing and wallboards', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [ana] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const anaToken = await signIn(api, ana.email, ana.password, t.slug);
    await api.ok(SET, { s: 'AVAILABLE' }, anaToken);
    await api.ok('mutation($id: ID!) { signOutUser(id: $id) { id } }', { id: ana.id }, t.adminToken);
    await sweep(api.running.app);
    const list = await api.ok(LIST, {}, t.adminToken);
    assert.deepEqual(list.agentStates.edges.map((e: { node: unknown }) => e.node), [{ userId: ana.id, status: 'OFFLINE', pauseReason: null }]);
    const again = await signIn(api, ana.email, ana.password, t.slug);
    assert.equal((await api.ok('{ myAgentState { status } }', {}, again)).myAgentState.status, 'OFFLINE', 'the next sign-in takes nothing until the agent chooses');
  });

  it('are only for agents, and capacity is set by administrators', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    assert.equal(codeOf(await api.gql(SET, { s: 'AVAILABLE' }, t.adminToken)), 'FORBIDDEN', 'administrators have no routing state');
    const cap = 'mutation($u: ID!, $c: Int!) { setAgentWrittenCapacity(userId: $u, capacity: $c) { writtenCapacity status } }';
    assert.deepEqual((await api.ok(cap, { u: agent.id, c: 5 }, t.adminToken)).setAgentWrittenCapacity, { writtenCapacity: 5, status: 'OFFLINE' });
    assert.equal(codeOf(await api.gql(cap, { u: agent.id, c: 0 }, t.adminToken)), 'BAD_USER_INPUT');
    assert.equal(codeOf(await api.gql(cap, { u: t.adminId, c: 2 }, t.adminToken)), 'BAD_USER_INPUT');
    const token = await signIn(api, agent.email, agent.password, t.slug);
    assert.equal(codeOf(await api.gql(cap, { u: agent.id, c: 9 }, token)), 'FORBIDDEN');
    assert.equal(codeOf(await api.gql(LIST, {}, token)), 'FORBIDDEN');
  });
});
