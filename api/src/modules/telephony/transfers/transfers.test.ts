import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../platform/clock.js';
import { startTestApi, wsReady, type TestApi } from '../../../testing/harness.js';
import { floor, type Floor } from '../../../testing/contact-centre.js';
import { addCarrierNumber, callEvent, invite, registerPhone, route } from '../../../testing/kamailio-peer.js';
import { agentAor, tenantSipDomain } from '../sip-identity.js';
import { abandonLostTransfers } from './lost-transfers.js';

const STATE = 'query($id: ID!) { interaction(id: $id) { state queue { id } agent { id } call { sipCode endedBy } } }';
const TRANSFER = 'mutation($id: ID!, $q: ID, $a: ID) { transferInteraction(id: $id, queueId: $q, agentId: $a) { state agent { id } } }';
let numbers = 0;

describe('call transfers: targets, hand-over and the new leg', () => {
  let api: TestApi;
  const clock = new ManualClock('2026-11-23T15:00:00Z');
  before(async () => {
    api = await startTestApi({ clock });
  });
  after(() => api.stop());

  async function voiceFloor(agents = 2): Promise<Floor & { did: string }> {
    const f = await floor(api, { kind: 'VOICE', agents, queue: { wrapUpSeconds: 120 }, campaign: { type: 'VOICE_INBOUND' } });
    for (const agent of f.agents) await registerPhone(api, f.t.slug, agent.id);
    const did = `+1438555${String(1000 + numbers++).padStart(4, '0')}`;
    await addCarrierNumber(api, f, did, { host: '198.51.100.1', allowedSources: ['198.51.100.0/24'] });
    return { ...f, did };
  }

  /** The agent's softphone commands, as its softphone receives them. */
  function commands(token: string) {
    const seen: { kind: string; referTo: string | null; target: string | null; interactionId: string | null }[] = [];
    const ready = new Promise<void>((resolve) => {
      const client = api.ws(token);
      client.subscribe<{ softphoneCommands: (typeof seen)[number] }>(
        { query: 'subscription { softphoneCommands { kind referTo target interactionId } }' },
        { next: (m) => void seen.push(m.data!.softphoneCommands), error: () => {}, complete: () => {} },
      );
      void wsReady(client).then(resolve);
    });
    return { seen, ready };
  }
  const next = async <T>(list: T[], n: number): Promise<T> => {
    for (let i = 0; i < 250 && list.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(list[n - 1], 'command received');
    return list[n - 1]!;
  };
  const stateOf = async (f: Floor, id: string) => (await api.ok(STATE, { id }, f.t.adminToken)).interaction;
  const agentStatus = async (token: string) => (await api.ok('{ myAgentState { status } }', {}, token)).myAgentState.status;

  /** A trunk call answered by the first agent: its interaction id and Call-ID. */
  async function answered(f: Floor & { did: string }) {
    const req = invite({ ruriUser: f.did });
    const d = await route(api, req);
    assert.equal(d.action, 'agent');
    if (d.action !== 'agent') throw new Error('not routed');
    await callEvent(api, req.callId, d.interactionId, 'answered');
    return { id: d.interactionId, callId: req.callId, aor: d.aor };
  }
  const userOf = (referTo: string) => /^sip:([^@]+)@/.exec(referTo)![1]!;

  it("sends the agent's phone a one-time Refer-To, and routes the carrier's new INVITE to the target agent on the same interaction", async () => {
    const f = await voiceFloor();
    const [a, b] = f.agents;
    const cmds = commands(a!.token);
    await cmds.ready;
    const first = await answered(f);
    assert.equal(first.aor, agentAor(a!.id, f.t.slug, api.running.app.config.telephony));
    const moved = await api.ok(TRANSFER, { id: first.id, a: b!.id }, a!.token);
    assert.deepEqual(moved.transferInteraction, { state: 'ACTIVE', agent: { id: a!.id } }, 'nothing moves before the REFER is accepted');
    const cmd = await next(cmds.seen, 1);
    assert.equal(cmd.kind, 'TRANSFER');
    assert.equal(cmd.interactionId, first.id);
    assert.match(cmd.referTo!, new RegExp(`^sip:xfer-[0-9a-f]{32}@${tenantSipDomain(f.t.slug, api.running.app.config.telephony).replace(/\./g, '\\.')}$`));
    const user = userOf(cmd.referTo!);
    const domain = cmd.referTo!.split('@')[1]!;

    // the carrier's INVITE may come before Kamailio's `transferred` event: it hands over by itself
    // (this carrier puts its own number in From: agent B's phone is told to show the caller instead)
    const leg2 = invite({ ruriUser: user, ruriDomain: domain, fromUser: '+34911000000' });
    const d = await route(api, leg2);
    assert.deepEqual(d, { action: 'agent', aor: agentAor(b!.id, f.t.slug, api.running.app.config.telephony), interactionId: first.id, record: false, ringSeconds: 20, presentAs: '+15145559999' });
    assert.equal(await agentStatus(a!.token), 'WRAP_UP', "the first agent's part is over");
    assert.deepEqual((await callEvent(api, first.callId, first.id, 'transferred', { target: user })).body, { ok: true, state: 'OFFERED' }, 'the late 202 changes nothing');
    assert.deepEqual((await callEvent(api, first.callId, first.id, 'ended', { by: 'caller' })).body, { ok: true, state: 'OFFERED' }, "the first leg's BYE neither");
    assert.deepEqual((await callEvent(api, leg2.callId, first.id, 'answered')).body, { ok: true, state: 'ACTIVE' });
    assert.equal(await agentStatus(b!.token), 'BUSY');
    assert.deepEqual(await stateOf(f, first.id), { state: 'ACTIVE', queue: { id: f.queueId }, agent: { id: b!.id }, call: { sipCode: null, endedBy: null } });
    assert.deepEqual(await route(api, invite({ ruriUser: user, ruriDomain: domain })), { action: 'reject', code: 404, reason: 'Not Found' }, 'a target is good for one call');
    // the call is now B's: B's end is the interaction's end
    assert.deepEqual((await callEvent(api, leg2.callId, first.id, 'ended', { code: 200, by: 'caller' })).body, { ok: true, state: 'WRAP_UP' });
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: first.id }, b!.token);
    const stats = (await api.ok('query($q: [ID!]) { queueStats(queueIds: $q) { offeredToday answeredToday abandonedToday agentsWrapUp } }', { q: [f.queueId] }, f.t.adminToken)).queueStats[0];
    assert.deepEqual(stats, { offeredToday: 1, answeredToday: 1, abandonedToday: 0, agentsWrapUp: 2 });
  });

  it('hands over on the 202 first, then offers the new leg through the target queue', async () => {
    const f = await voiceFloor();
    const [a, b] = f.agents;
    const cmds = commands(a!.token);
    await cmds.ready;
    const first = await answered(f);
    await api.ok(TRANSFER, { id: first.id, q: f.queueId }, a!.token);
    const user = userOf((await next(cmds.seen, 1)).referTo!);
    assert.deepEqual((await callEvent(api, first.callId, first.id, 'transferred', { code: 202, target: user })).body, { ok: true, state: 'QUEUED' });
    assert.deepEqual(await stateOf(f, first.id), { state: 'QUEUED', queue: { id: f.queueId }, agent: null, call: { sipCode: 202, endedBy: 'transfer' } });
    const waiting = (await api.ok('query($q: [ID!]) { queueStats(queueIds: $q) { waiting } }', { q: [f.queueId] }, f.t.adminToken)).queueStats[0];
    assert.equal(waiting.waiting, 0, 'a call between its legs is no caller waiting for an agent');
    const d = await route(api, invite({ ruriUser: user, ruriDomain: tenantSipDomain(f.t.slug, api.running.app.config.telephony) }));
    assert.equal(d.action === 'agent' && d.aor, agentAor(b!.id, f.t.slug, api.running.app.config.telephony), 'A is in wrap-up: the queue offers B');
  });

  it('refuses bad transfers with typed errors, and a target from another tenant, another domain, an untrusted source or too late', async () => {
    const f = await voiceFloor(3);
    const other = await voiceFloor(1);
    const [a, b, c] = f.agents;
    const code = async (vars: Record<string, unknown>, token = a!.token) => (await api.gql(TRANSFER, vars, token)).errors?.[0]?.extensions?.code;
    const first = await answered(f);
    assert.equal(await code({ id: first.id }), 'BAD_USER_INPUT', 'no target');
    assert.equal(await code({ id: first.id, q: f.queueId, a: b!.id }), 'BAD_USER_INPUT', 'two targets');
    assert.equal(await code({ id: first.id, a: a!.id }), 'BAD_USER_INPUT', 'oneself');
    assert.equal(await code({ id: first.id, q: other.queueId }), 'NOT_FOUND', "another tenant's queue");
    assert.equal(await code({ id: first.id, a: other.agents[0]!.id }), 'NOT_FOUND', "another tenant's agent");
    assert.equal(await code({ id: first.id, q: f.queueId }, b!.token), 'NOT_FOUND', "someone else's call");
    await api.ok('mutation { setMyAgentState(status: PAUSED, pauseReason: "Break") { status } }', {}, c!.token);
    assert.equal(await code({ id: first.id, a: c!.id }), 'AGENT_UNAVAILABLE');
    const targets = (await api.ok('{ transferTargets { queues { id } agents { id available } } }', {}, a!.token)).transferTargets;
    assert.deepEqual(targets.queues, [{ id: f.queueId }]);
    assert.deepEqual(new Map(targets.agents.map((x: { id: string; available: boolean }) => [x.id, x.available])), new Map([[b!.id, true], [c!.id, false]]));
    const count = async () => (await api.ok('{ interactions { totalCount } }', {}, f.t.adminToken)).interactions.totalCount;
    const before = await count();

    const cmds = commands(a!.token);
    await cmds.ready;
    await api.ok(TRANSFER, { id: first.id, a: b!.id }, a!.token);
    const user = userOf((await next(cmds.seen, 1)).referTo!);
    const domain = tenantSipDomain(f.t.slug, api.running.app.config.telephony);
    const nf = { action: 'reject', code: 404, reason: 'Not Found' };
    assert.deepEqual(await route(api, invite({ ruriUser: user, ruriDomain: tenantSipDomain(other.t.slug, api.running.app.config.telephony) })), nf, "another tenant's domain");
    assert.deepEqual(await route(api, invite({ ruriUser: `xfer-${'0'.repeat(32)}`, ruriDomain: domain })), nf, 'an unknown target');
    assert.deepEqual(await route(api, invite({ ruriUser: user, ruriDomain: domain, sourceIp: '203.0.113.9' })), { action: 'reject', code: 403, reason: 'Forbidden' });
    assert.deepEqual((await callEvent(api, first.callId, first.id, 'transferred', { target: `xfer-${'1'.repeat(32)}` })).body, { ok: true, state: 'ACTIVE' }, 'a REFER to something else');
    clock.advance(61_000);
    assert.deepEqual(await route(api, invite({ ruriUser: user, ruriDomain: domain })), nf, 'expired');
    assert.deepEqual((await callEvent(api, first.callId, first.id, 'transferred', { target: user })).body, { ok: true, state: 'ACTIVE' }, 'a 202 after expiry does not hand over');
    assert.equal(await count(), before, 'nothing was created');
    // the call goes on with A, who may try again; its end is A's as usual
    assert.deepEqual((await callEvent(api, first.callId, first.id, 'ended', { by: 'caller', target: user })).body, { ok: true, state: 'WRAP_UP' });
    assert.equal(await code({ id: first.id, q: f.queueId }), 'CONFLICT', 'no longer ACTIVE');
  });

  it('abandons a handed-over call whose new leg never came', async () => {
    const f = await voiceFloor();
    const [a] = f.agents;
    const cmds = commands(a!.token);
    await cmds.ready;
    const first = await answered(f);
    await api.ok(TRANSFER, { id: first.id, q: f.queueId }, a!.token);
    const user = userOf((await next(cmds.seen, 1)).referTo!);
    await callEvent(api, first.callId, first.id, 'transferred', { target: user });
    assert.equal(await abandonLostTransfers(api.running.app), 0, 'still in time');
    clock.advance(61_000);
    assert.ok((await abandonLostTransfers(api.running.app)) >= 1);
    assert.equal((await stateOf(f, first.id)).state, 'ABANDONED');
    const stats = (await api.ok('query($q: [ID!]) { queueStats(queueIds: $q) { offeredToday abandonedToday waiting } }', { q: [f.queueId] }, f.t.adminToken)).queueStats[0];
    assert.deepEqual(stats, { offeredToday: 1, abandonedToday: 1, waiting: 0 });
  });
});
