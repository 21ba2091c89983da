import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../platform/clock.js';
import { startTestApi, wsReady, type TestApi } from '../../../testing/harness.js';
import { floor, type Floor } from '../../../testing/contact-centre.js';
import { addCarrierNumber, callEvent, invite, registerPhone, route } from '../../../testing/kamailio-peer.js';
import { agentAor } from '../sip-identity.js';

/**
 * Kamailio posts one call's events from several async workers, so they can reach the API in any
 * order. These post them out of order (and at once) through the real HTTP endpoint, with
 * Kamailio's `at` telling the true order.
 */
const STATE = 'query($id: ID!) { interaction(id: $id) { state answeredAt endedAt } }';
let numbers = 0;

describe('calls: events out of order', () => {
  let api: TestApi;
  const clock = new ManualClock('2026-11-23T15:00:00Z'); // a Monday, 10:00 in Montreal
  before(async () => {
    api = await startTestApi({ clock });
  });
  after(() => api.stop());

  async function voiceFloor(agents = 1, wrapUpSeconds = 30): Promise<Floor & { did: string }> {
    const f = await floor(api, { kind: 'VOICE', agents, queue: { wrapUpSeconds }, campaign: { type: 'VOICE_INBOUND' } });
    for (const agent of f.agents) await registerPhone(api, f.t.slug, agent.id);
    const did = `+1514556${String(1000 + numbers++).padStart(4, '0')}`;
    await addCarrierNumber(api, f, did, { host: '198.51.100.1', allowedSources: ['198.51.100.0/24'] });
    return { ...f, did };
  }

  const agentStatus = async (token: string) => (await api.ok('{ myAgentState { status } }', {}, token)).myAgentState.status;

  async function listen(f: Floor): Promise<string[]> {
    const kinds: string[] = [];
    const client = api.ws(f.t.adminToken);
    client.subscribe<{ interactionEvents: { kind: string } }>(
      { query: 'subscription($q: [ID!]) { interactionEvents(queueIds: $q) { kind } }', variables: { q: [f.queueId] } },
      { next: (m) => void kinds.push(m.data!.interactionEvents.kind), error: () => {}, complete: () => {} },
    );
    await wsReady(client);
    return kinds;
  }
  /**
   * Waits for `expected`, then proves nothing else came: `marker` causes one more event for this
   * subscriber, and it must be the very next one (events of one subscription arrive in order).
   */
  const exactly = async (kinds: string[], expected: string[], marker: () => Promise<unknown>, markerKind: string) => {
    const until = async (n: number) => {
      for (let i = 0; i < 500 && kinds.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    };
    await until(expected.length);
    await marker();
    await until(expected.length + 1);
    assert.deepEqual(kinds.slice(0, expected.length + 1), [...expected, markerKind]);
  };

  it("records an inbound call whose 'ended' arrived before its 'answered' as answered, then ended", async () => {
    const f = await voiceFloor();
    const [agent] = f.agents;
    const kinds = await listen(f);
    const req = invite({ ruriUser: f.did });
    const d = await route(api, req);
    assert.equal(d.action, 'agent');
    const id = d.action === 'agent' ? d.interactionId : '';
    const t0 = Date.now();
    clock.advance(70_000);
    // Kamailio: answered at t0 + 5 s, BYE from the caller at t0 + 65 s; the API hears the end first
    assert.deepEqual((await callEvent(api, req.callId, id, 'ended', { code: 200, by: 'caller', at: t0 + 65_000 })).body, { ok: true, state: 'ABANDONED' });
    assert.deepEqual((await callEvent(api, req.callId, id, 'answered', { code: 200, at: t0 + 5_000 })).body, { ok: true, state: 'WRAP_UP' });
    assert.deepEqual(await (await api.ok(STATE, { id }, f.t.adminToken)).interaction, {
      state: 'WRAP_UP', answeredAt: '2026-11-23T15:00:10.000Z', endedAt: '2026-11-23T15:01:10.000Z',
    }, 'talk time as Kamailio saw it (60 s), ending when the end was applied');
    assert.equal(await agentStatus(agent.token), 'WRAP_UP', "the queue's wrap-up after an answered call");
    assert.deepEqual((await callEvent(api, req.callId, id, 'answered', { at: t0 + 5_000 })).body, { ok: true, state: 'WRAP_UP' }, 'a repeated answer changes nothing');
    assert.deepEqual((await callEvent(api, req.callId, id, 'held', { at: t0 + 30_000 })).body, { ok: true, state: 'WRAP_UP' }, 'a hold after the end changes nothing');
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id }, agent.token);
    const stats = (await api.ok('query($q: [ID!]) { queueStats(queueIds: $q) { answeredToday abandonedToday averageHandleSeconds } }', { q: [f.queueId] }, f.t.adminToken)).queueStats[0];
    assert.deepEqual(stats, { answeredToday: 1, abandonedToday: 0, averageHandleSeconds: 60 });
    // the marker: the next caller of this queue
    await exactly(kinds, ['CREATED', 'OFFERED', 'ABANDONED', 'ANSWERED', 'CLOSED', 'CLOSED'], () => route(api, invite({ ruriUser: f.did })), 'CREATED');
    const [offer] = await api.running.app.orm.em.getConnection().execute<{ outcome: string }[]>('select outcome from interaction_offer where interaction_id = ?', [id]);
    assert.equal(offer?.outcome, 'ACCEPTED');
  });

  it("records an outbound call whose 'ended' arrived before its 'answered' as connected, not as never answered", async () => {
    const f = await voiceFloor();
    const [agent] = f.agents;
    const aor = agentAor(agent.id, f.t.slug, api.running.app.config.telephony);
    const user = aor.slice(4, aor.indexOf('@'));
    const domain = `${f.t.slug}.${api.running.app.config.telephony.sipDomain}`;
    const req = invite({ ruriUser: '+14385550142', fromUser: user, fromDomain: domain, authUser: user, authDomain: domain, sourceIp: '127.0.0.1', transport: 'ws' });
    const d = await route(api, req);
    assert.equal(d.action, 'trunk');
    const id = d.action === 'trunk' ? d.interactionId : '';
    const t0 = Date.now();
    clock.advance(20_000);
    await callEvent(api, req.callId, id, 'ended', { code: 200, by: 'callee', at: t0 + 12_000 });
    assert.deepEqual((await callEvent(api, req.callId, id, 'answered', { code: 200, at: t0 + 2_000 })).body, { ok: true, state: 'WRAP_UP' });
    const i = (await api.ok(STATE, { id }, f.t.adminToken)).interaction;
    assert.equal(i.state, 'WRAP_UP');
    assert.equal(Date.parse(i.endedAt) - Date.parse(i.answeredAt), 10_000);
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id }, agent.token);
  });

  it('applies the answer and the end of calls posted at the same moment one after the other, whichever lands first', async () => {
    const f = await voiceFloor(2, 0);
    for (let n = 0; n < 6; n++) {
      const req = invite({ ruriUser: f.did });
      const d = await route(api, req);
      assert.equal(d.action, 'agent', `call ${n}`);
      const id = d.action === 'agent' ? d.interactionId : '';
      const t0 = Date.now();
      const posts = [
        () => callEvent(api, req.callId, id, 'answered', { at: t0 + 100 }),
        () => callEvent(api, req.callId, id, 'ended', { code: 200, by: 'caller', at: t0 + 900 }),
      ];
      if (n % 2) posts.reverse();
      await Promise.all(posts.map((post) => post()));
      const i = (await api.ok(STATE, { id }, f.t.adminToken)).interaction;
      assert.equal(i.state, 'WRAP_UP', `call ${n}`);
      assert.ok(i.answeredAt, `call ${n} answered`);
      const agentId = (await api.ok('query($id: ID!) { interaction(id: $id) { agent { id } } }', { id }, f.t.adminToken)).interaction.agent.id;
      const token = f.agents.find((a) => a.id === agentId)!.token;
      await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id }, token);
    }
  });

  it('drops a hold or resume older than an event already applied', async () => {
    const f = await voiceFloor();
    const kinds = await listen(f);
    const req = invite({ ruriUser: f.did });
    const d = await route(api, req);
    const id = d.action === 'agent' ? d.interactionId : '';
    const t0 = Date.now();
    await callEvent(api, req.callId, id, 'answered', { at: t0 });
    await callEvent(api, req.callId, id, 'resumed', { at: t0 + 2_000 });
    assert.deepEqual((await callEvent(api, req.callId, id, 'held', { at: t0 + 1_000 })).body, { ok: true, state: 'ACTIVE' });
    await callEvent(api, req.callId, id, 'held', { at: t0 + 3_000 });
    // the hold from before the resume is not announced; the marker: the caller hangs up
    await exactly(kinds, ['CREATED', 'OFFERED', 'ANSWERED', 'RESUMED', 'HELD'], () => callEvent(api, req.callId, id, 'ended', { code: 200, by: 'caller', at: t0 + 4_000 }), 'CLOSED');
  });
});
