/**
 * Callers who wait and the hunt for the next agent (issue 12, items 3-4), on the real stack: the
 * API, Kamailio and rtpengine started by the platform, sipp as the carrier's caller and as the
 * agents' desk phones. A queue with `callWaitSeconds` holds a caller nobody can take: 183 with
 * rtpengine's SDP, music on hold played by rtpengine (the caller echoes what it hears, so rtpengine
 * counts packets coming back from the caller), the INVITE held by Kamailio until the routing sweep
 * offers the call to an agent who became free.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';
import { freeUdpPorts, SIPP_SCENARIOS, startSipp, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { rtpengineNg } from '../../api/src/modules/telephony/runtime/index.js';
import { sippLog, VoicePeers, type SipCredentials } from './voice-peers.js';

const skip = await telephonySkipReason();
const DID = '+15145550177';

describe('callers wait with music on hold and calls hunt for the next agent', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let f: Floor;
  let sip: VoicePeers;
  const phones: number[] = [];

  before(async () => {
    // the routing sweep (every second here, 2 s by default) offers waiting callers to agents who became free
    api = await startTelephonyTestApi({}, { routingSweepSeconds: 1 });
    sip = new VoicePeers(api.telephony.sipUdpPort);
    f = await floor(api, { agents: 2, kind: 'VOICE', queue: { wrapUpSeconds: 0, callWaitSeconds: 30 }, campaign: { type: 'VOICE_INBOUND', ringSeconds: 5 } });
    await addCarrierNumber(api, f, DID, { port: await freeUdpPorts(), username: 'trunk', password: 'trunkpass' });
    for (const agent of f.agents) {
      const creds: SipCredentials = (await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, agent.token)).issueSipCredentials;
      const port = await freeUdpPorts();
      const reg = await sip.register(creds, port);
      assert.equal(reg.code, 0, sippLog(reg));
      phones.push(port);
    }
    await waitFor('both phones registered', async () => {
      const states = (await api.ok('{ agentStates { edges { node { userId sipRegistered } } } }', {}, f.t.adminToken)).agentStates.edges as { node: { sipRegistered: boolean } }[];
      return states.filter((e) => e.node.sipRegistered).length === 2;
    });
  });
  after(() => api?.stop());
  afterEach(async () => {
    const left = await api.ok('query($f: InteractionFilter) { interactions(filter: $f, first: 20) { edges { node { id } } } }', { f: { state: 'WRAP_UP' } }, f.t.adminToken);
    for (const { node } of left.interactions.edges as { node: { id: string } }[]) {
      await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: node.id }, f.t.adminToken).catch(() => {});
    }
  });

  const setState = (agent: number, status: 'AVAILABLE' | 'PAUSED') =>
    api.ok('mutation($s: AgentStatus!, $r: String) { setMyAgentState(status: $s, pauseReason: $r) { status } }', { s: status, r: status === 'PAUSED' ? 'Lunch' : null }, f.agents[agent]!.token);
  const interactionsIn = async (state: string) =>
    (await api.ok('query($f: InteractionFilter) { interactions(filter: $f, first: 20) { edges { node { id agent { id } call { sipCode } } } } }', { f: { state } }, f.t.adminToken))
      .interactions.edges.map((e: { node: unknown }) => e.node) as { id: string; agent: { id: string } | null; call: { sipCode: number | null } | null }[];
  const stats = async () =>
    ((await api.ok('{ queueStats { queueId waiting longestWaitSeconds abandonedToday answeredToday } }', {}, f.t.adminToken)).queueStats as { queueId: string; waiting: number; abandonedToday: number; answeredToday: number }[])
      .find((s) => s.queueId === f.queueId)!;
  const agentState = async (agent: number) =>
    ((await api.ok('{ agentStates { edges { node { userId status pauseReason } } } }', {}, f.t.adminToken)).agentStates.edges as { node: { userId: string; status: string; pauseReason: string | null } }[])
      .find((e) => e.node.userId === f.agents[agent]!.id)!.node;
  const caller = async (scenario: string, extra: string[] = []) =>
    startSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, scenario), '-s', DID, '-m', '1', '-i', '127.0.0.1',
      '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4)), '-rtp_echo', '-timeout', '60s', '-timeout_error', ...extra]);
  /** Packets rtpengine received from the caller (its From-tag): with -rtp_echo, what the caller heard and sent back. */
  const fromCaller = async () => {
    const listed = (await rtpengineNg(api.telephony.rtpengineNgPort, { command: 'list' })) as { calls?: unknown[] };
    let most = 0;
    for (const callId of (listed.calls ?? []).map(String)) {
      const q = await rtpengineNg(api.telephony.rtpengineNgPort, { command: 'query', 'call-id': callId });
      const tags = (q.tags ?? {}) as Record<string, { tag: string; medias?: { streams?: { stats?: { packets?: number } }[] }[] }>;
      for (const [tag, t] of Object.entries(tags)) {
        if (tag.startsWith('hold-')) continue;
        most = Math.max(most, (t.medias ?? []).flatMap((m) => m.streams ?? []).reduce((n, s) => n + (s.stats?.packets ?? 0), 0));
      }
    }
    return most;
  };
  const phoneOf = async (agent: number, scenario: 'answer' | 'decline') =>
    startSipp(['-sf', join(SIPP_SCENARIOS, scenario === 'answer' ? 'agent-answer.xml' : 'agent-decline.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(phones[agent]),
      '-mp', String(await freeUdpPorts(4)), '-rtp_echo', '-timeout', '60s', '-timeout_error']);

  it('holds a caller nobody can take with music, then rings the agent who becomes free', async () => {
    await setState(0, 'PAUSED');
    await setState(1, 'PAUSED');
    const phone = await phoneOf(0, 'answer');
    const call = await caller('trunk-call-waits.xml');
    const [waiting] = await waitFor('the call QUEUED', async () => {
      const q = await interactionsIn('QUEUED');
      return q.length === 1 && q;
    }, 15_000);
    // music on hold reaches the caller: it echoes it, so rtpengine receives packets from the caller
    await waitFor('music on hold echoed by the caller', async () => (await fromCaller()) > 50, 15_000).catch((err: Error) => {
      throw new Error(`${err.message}; caller:\n${call.output().slice(-1500)}`);
    });
    assert.equal((await stats()).waiting, 1, 'queueStats counts the waiting caller');
    await setState(0, 'AVAILABLE');
    const active = await waitFor('the call answered by agent 0', async () => (await interactionsIn('ACTIVE')).find((i) => i.id === waiting!.id), 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; phone:\n${phone.output().slice(-1500)}; caller:\n${call.output().slice(-1500)}`);
    });
    assert.equal(active.agent?.id, f.agents[0]!.id);
    const done = await call.done;
    assert.equal(done.code, 0, sippLog(done));
    assert.equal((await phone.done).code, 0);
  });

  it('counts a caller who hangs up while waiting as ABANDONED', async () => {
    await setState(0, 'PAUSED');
    await setState(1, 'PAUSED');
    const before = (await stats()).abandonedToday;
    const call = await caller('trunk-call-wait-cancel.xml');
    const done = await call.done;
    assert.equal(done.code, 0, sippLog(done));
    await waitFor('ABANDONED counted', async () => (await stats()).abandonedToday === before + 1, 10_000);
    const abandoned = (await interactionsIn('ABANDONED')).find((i) => i.call?.sipCode === 487);
    assert.ok(abandoned, 'the waiting call is ABANDONED with the caller\'s 487');
    assert.equal((await stats()).waiting, 0);
  });

  it('hunts: the first agent declines and is paused, the caller waits, the next agent answers', async () => {
    await setState(0, 'AVAILABLE');
    await setState(1, 'PAUSED');
    const declining = await phoneOf(0, 'decline');
    const answering = await phoneOf(1, 'answer');
    const call = await caller('trunk-call-waits.xml');
    await waitFor('agent 0 paused for the missed call', async () => {
      const s = await agentState(0);
      return s.status === 'PAUSED' && s.pauseReason === 'Missed call';
    }, 15_000).catch((err: Error) => {
      throw new Error(`${err.message}; phone:\n${declining.output().slice(-1500)}; caller:\n${call.output().slice(-1500)}`);
    });
    assert.equal((await declining.done).code, 0);
    await waitFor('the caller back in the queue', async () => (await interactionsIn('QUEUED')).length === 1, 10_000);
    await setState(1, 'AVAILABLE');
    const active = await waitFor('the call answered by agent 1', async () => (await interactionsIn('ACTIVE'))[0], 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; phone:\n${answering.output().slice(-1500)}; caller:\n${call.output().slice(-1500)}`);
    });
    assert.equal(active.agent?.id, f.agents[1]!.id);
    const done = await call.done;
    assert.equal(done.code, 0, sippLog(done));
  });

  it('ends a wait that lapses with the campaign\'s noAgentAction (486) and counts it ABANDONED', async () => {
    await setState(0, 'PAUSED');
    await setState(1, 'PAUSED');
    await api.ok('mutation($id: ID!) { updateQueue(id: $id, input: { name: "Q", wrapUpSeconds: 0, callWaitSeconds: 5 }) { id } }', { id: f.queueId }, f.t.adminToken);
    try {
      const before = (await stats()).abandonedToday;
      const call = await caller('trunk-call-wait-overflow.xml');
      await waitFor('the call QUEUED', async () => (await interactionsIn('QUEUED')).length === 1, 15_000);
      const done = await call.done;
      assert.equal(done.code, 0, sippLog(done));
      await waitFor('ABANDONED counted', async () => (await stats()).abandonedToday === before + 1, 10_000);
      assert.ok((await interactionsIn('ABANDONED')).some((i) => i.call?.sipCode === 486), 'the lapsed wait is ABANDONED with 486');
      assert.equal((await stats()).waiting, 0);
    } finally {
      await api.ok('mutation($id: ID!) { updateQueue(id: $id, input: { name: "Q", wrapUpSeconds: 0, callWaitSeconds: 30 }) { id } }', { id: f.queueId }, f.t.adminToken);
    }
  });
});
