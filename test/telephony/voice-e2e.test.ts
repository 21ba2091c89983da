/**
 * The voice path end to end through the real parts (issue 4): the API with its own route and
 * call-event handlers, Kamailio and rtpengine started by the platform's runtime, PostgreSQL, and
 * sipp as the carrier trunk and as an agent's desk phone (UDP). In CI, missing binaries fail it.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { createUsers, signIn } from '../../api/src/testing/fixtures.js';
import { freeUdpPorts, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { kamailioRpc, rtpengineNg, telephonyRuntime } from '../../api/src/modules/telephony/runtime/index.js';
import { reserveChannel } from '../../api/src/modules/telephony/calls/channels.js';
import { kamailioTail, refusedWith, sippLog, VoicePeers, type SipCredentials } from './voice-peers.js';
import { channelLevels } from './wav-level.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';

const skip = await telephonySkipReason();
const DID = '+15145550142';
const CALLER = '+34600111222'; // the From of trunk-call.xml
const INTERACTION = `query($id: ID!) { interaction(id: $id) { state direction channel customerAddress answeredAt endedAt recordingUrl
  agent { id } call { sipCode endedBy recording fromNumber toNumber } } }`;

interface Seen {
  kind: string;
  id: string;
  state: string;
}

describe('voice end to end: sipp trunk and agent through Kamailio, rtpengine and the API', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let f: Floor;
  let creds: SipCredentials;
  let sip: VoicePeers;
  const phonePort = { value: 0 };
  const trunkPort = { value: 0 };
  const seen: Seen[] = [];

  before(async () => {
    api = await startTelephonyTestApi();
    sip = new VoicePeers(api.telephony.sipUdpPort);
    phonePort.value = await freeUdpPorts();
    trunkPort.value = await freeUdpPorts();
    f = await floor(api, { agents: 1, kind: 'VOICE', queue: { wrapUpSeconds: 0 }, campaign: { type: 'VOICE_INBOUND', recordCalls: true, ringSeconds: 15 } });
    await addCarrierNumber(api, f, DID, { port: trunkPort.value, username: 'trunk', password: 'trunkpass' });
    creds = (await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, f.agents[0]!.token)).issueSipCredentials;
    const client = api.ws(f.t.adminToken);
    await new Promise<void>((resolve) => {
      client.subscribe<{ interactionEvents: { kind: string; interaction: { id: string; state: string } } }>(
        { query: 'subscription($q: [ID!]) { interactionEvents(queueIds: $q) { kind interaction { id state } } }', variables: { q: [f.queueId] } },
        { next: (m) => void seen.push({ kind: m.data!.interactionEvents.kind, ...m.data!.interactionEvents.interaction }), error: () => {}, complete: () => {} },
      );
      setTimeout(resolve, 300);
    });
  });
  after(() => api?.stop());
  // A test that fails half-way must not leave the agent in wrap-up for the next one: close what it left.
  afterEach(async () => {
    const left = await api.ok(
      'query($f: InteractionFilter) { interactions(filter: $f, first: 20) { edges { node { id } } } }',
      { f: { agentId: f.agents[0]!.id, state: 'WRAP_UP' } }, f.t.adminToken,
    );
    for (const { node } of left.interactions.edges as { node: { id: string } }[]) {
      await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: node.id }, f.agents[0]!.token);
    }
  });

  const sipRegistered = async () =>
    (await api.ok('{ agentStates { edges { node { userId sipRegistered } } } }', {}, f.t.adminToken)).agentStates.edges
      .find((e: { node: { userId: string } }) => e.node.userId === f.agents[0]!.id)?.node.sipRegistered as boolean;

  /**
   * A recorded call's interaction once in WRAP_UP with its recording settled (ATTACHED or MISSING):
   * the state commits before the 'ended' event marks the recording PENDING and converts it. (The
   * calls job would only retry a minute later: a recording not complete when 'ended' arrives fails
   * this wait.)
   */
  const wrappedUp = (id: string) => {
    let last: unknown = null;
    return waitFor('WRAP_UP with the recording settled', async () => {
      const i = (await api.ok(INTERACTION, { id }, f.t.adminToken)).interaction;
      last = i;
      return i.state === 'WRAP_UP' && (i.call.recording === 'ATTACHED' || i.call.recording === 'MISSING') && i;
    }, 30_000).catch((err: Error) => { // a loaded 2-core CI machine: BYE both ways, media release, 'ended', WAV conversion
      throw new Error(`${err.message}; the interaction was ${JSON.stringify(last)}; Kamailio's last lines:\n${kamailioTail(api, 40)}`);
    });
  };

  /** One inbound call from the trunk to the registered phone; resolves with its interaction id and the trunk's sipp result. */
  async function inboundCall(): Promise<{ id: string; callId: string; trunk: Awaited<ReturnType<VoicePeers['trunkCall']>>; packets: number[] }> {
    const before = seen.length;
    const phone = await sip.answeringPhone(phonePort.value);
    const trunk = sip.trunkCall(DID);
    const answered = await waitFor('ANSWERED on the subscription', async () => seen.slice(before).find((e) => e.kind === 'ANSWERED'), 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; events ${JSON.stringify(seen.slice(before))}; phone:\n${phone.output().slice(-1500)}`);
    });
    // media flows both ways through rtpengine while the call is up
    const listed = (await rtpengineNg(api.telephony.rtpengineNgPort, { command: 'list' })) as { calls?: Buffer[] | string[] };
    const callIds = (listed.calls ?? []).map(String);
    assert.equal(callIds.length, 1, `rtpengine carries this call only: ${callIds.join(', ')}`);
    const callId = callIds[0]!;
    const packets = await waitFor('RTP both ways', async () => {
      const q = await rtpengineNg(api.telephony.rtpengineNgPort, { command: 'query', 'call-id': callId });
      assert.equal(q.result, 'ok', JSON.stringify(q));
      const tags = Object.values(q.tags as Record<string, { medias?: { streams?: { stats?: { packets?: number } }[] }[] }>);
      const perLeg = tags.map((tag) => (tag.medias ?? []).flatMap((m) => m.streams ?? []).reduce((n, s) => n + (s.stats?.packets ?? 0), 0));
      return perLeg.length === 2 && perLeg.every((n) => n > 20) && perLeg;
    }, 10_000);
    const done = await trunk;
    const phoneDone = await phone.done;
    assert.equal(phoneDone.code, 0, sippLog(phoneDone));
    return { id: answered.id, callId, trunk: done, packets };
  }

  it('registers the agent with the right password only, and the API sees the phone', async () => {
    const refused = await sip.register(creds, phonePort.value, { password: 'not-the-password', refused: true });
    assert.equal(refused.code, 0, `a wrong password gets 403:\n${sippLog(refused)}`);
    assert.equal(await sipRegistered(), false);
    const reg = await sip.register(creds, phonePort.value);
    assert.equal(reg.code, 0, sippLog(reg));
    await waitFor('sipRegistered', sipRegistered);
  });

  it('rings the registered agent on a trunk call to the DID, carries RTP both ways, records it, and tracks it QUEUED -> OFFERED -> ACTIVE -> WRAP_UP -> CLOSED', async (t) => {
    const call = await inboundCall();
    assert.equal(call.trunk.code, 0, sippLog(call.trunk));
    assert.ok(call.packets.every((n) => n > 20), `packets per leg: ${call.packets.join(', ')}`);

    const ended = await wrappedUp(call.id);
    assert.deepEqual([ended.direction, ended.channel, ended.customerAddress, ended.agent.id], ['INBOUND', 'VOICE', CALLER, f.agents[0]!.id]);
    assert.deepEqual(ended.call, { sipCode: 200, endedBy: 'caller', recording: 'ATTACHED', fromNumber: CALLER, toNumber: DID });
    await api.ok('mutation($id: ID!, $d: ID) { closeInteraction(id: $id, dispositionId: $d) { state } }', { id: call.id, d: f.dispositionId }, f.agents[0]!.token);
    await waitFor('CLOSED on the subscription', async () => seen.some((e) => e.id === call.id && e.state === 'CLOSED'));
    const mine = seen.filter((e) => e.id === call.id);
    assert.deepEqual(mine.map((e) => e.kind).slice(0, 3), ['CREATED', 'OFFERED', 'ANSWERED'], JSON.stringify(seen));
    // the route decision creates and offers the interaction in one transaction; each event still shows its own state
    const states = mine.map((e) => e.state).filter((s, n, all) => s !== all[n - 1]);
    assert.deepEqual(states, ['QUEUED', 'OFFERED', 'ACTIVE', 'WRAP_UP', 'CLOSED'], JSON.stringify(seen));

    // the recording: the WAV behind Interaction.recordingUrl, over HTTP, with sound on both sides
    const { recordingUrl } = (await api.ok(INTERACTION, { id: call.id }, f.agents[0]!.token)).interaction;
    assert.ok(recordingUrl, 'the agent may listen to the call');
    const res = await fetch(new URL(recordingUrl, api.url));
    assert.equal(res.status, 200);
    const wav = channelLevels(Buffer.from(await res.arrayBuffer()));
    assert.deepEqual([wav.channels, wav.sampleRate], [2, 8000]);
    assert.ok(wav.seconds >= 1, `${wav.seconds} s recorded`);
    assert.ok(wav.rms.every((level) => level > 100), `RMS per channel (caller, agent): ${wav.rms.map((r) => r.toFixed(0)).join(', ')}`);
    t.diagnostic(`rtpengine packets per leg while up: ${call.packets.join(', ')}; WAV ${wav.seconds.toFixed(1)} s, RMS caller/agent ${wav.rms.map((r) => r.toFixed(0)).join('/')}`);
  });

  it('fails the call with the SIP code when the agent turns it down: the carrier hears 486, the interaction is abandoned', async () => {
    const before = seen.length;
    const phone = await sip.decliningPhone(phonePort.value);
    const trunk = await sip.trunkCall(DID, 15_000);
    assert.equal(refusedWith(trunk), 486, sippLog(trunk));
    assert.equal((await phone.done).code, 0);
    const abandoned = await waitFor('ABANDONED on the subscription', async () => seen.slice(before).find((e) => e.state === 'ABANDONED'));
    const i = (await api.ok(INTERACTION, { id: abandoned.id }, f.t.adminToken)).interaction;
    assert.deepEqual([i.state, i.agent, i.answeredAt, i.call.sipCode, i.call.recording], ['ABANDONED', null, null, 486, null]);
  });

  it('lets a supervisor hang up a call in progress through Kamailio: both sides get a BYE, the call ends by api', async () => {
    const [supervisor] = await createUsers(api, f.t.adminToken, 'SUPERVISOR', 1);
    const token = await signIn(api, supervisor!.email, supervisor!.password, f.t.slug);
    const before = seen.length;
    const phone = await sip.answeringPhone(phonePort.value);
    const trunk = sip.trunkCall(DID, 30_000, true);
    const answered = await waitFor('ANSWERED on the subscription', async () => seen.slice(before).find((e) => e.kind === 'ANSWERED'), 20_000);
    await api.ok('mutation($id: ID!) { hangUpCall(interactionId: $id) { id } }', { id: answered.id }, token);
    const trunkDone = await trunk;
    assert.equal(trunkDone.code, 0, `the carrier got a BYE:\n${sippLog(trunkDone)}`);
    const phoneDone = await phone.done;
    assert.equal(phoneDone.code, 0, `the phone got a BYE:\n${sippLog(phoneDone)}\nKamailio's last lines:\n${kamailioTail(api)}`);
    const i = await wrappedUp(answered.id);
    assert.deepEqual([i.call.endedBy, i.call.recording], ['api', 'ATTACHED'], 'media released at once, the recording complete');
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: answered.id }, f.agents[0]!.token);
  });

  it("places the agent's outbound call through the trunk with the tenant's caller ID", async () => {
    const log = join(api.dataDir, 'carrier-out.log');
    const carrier = await sip.carrier(trunkPort.value, log);
    const call = await sip.agentCall(creds, '+34600999888');
    assert.equal(call.code, 0, sippLog(call));
    const carrierDone = await carrier.done;
    assert.equal(carrierDone.code, 0, sippLog(carrierDone));
    const atCarrier = await readFile(log, 'utf8');
    assert.match(atCarrier, /^INVITE sip:\+34600999888@127\.0\.0\.1:\d+/m);
    assert.match(atCarrier, new RegExp(`^From: <sip:\\${DID}@`, 'm'), 'the caller ID the API chose');
    assert.match(atCarrier, /Proxy-Authorization: Digest username="trunk"/, "the trunk's credentials answered its challenge");
    assert.doesNotMatch(atCarrier, new RegExp(`username="${creds.username}"`), "the agent's credentials stay here");
    const outboundId = await waitFor('the outbound call', async () => {
      const edges = (await api.ok('{ interactions(filter: { channel: VOICE }) { edges { node { id direction } } } }', {}, f.t.adminToken)).interactions.edges;
      return edges.map((e: { node: { id: string; direction: string } }) => e.node).find((n: { direction: string }) => n.direction === 'OUTBOUND')?.id as string | undefined;
    });
    const out = await wrappedUp(outboundId);
    assert.deepEqual([out.direction, out.customerAddress, out.agent.id], ['OUTBOUND', '+34600999888', f.agents[0]!.id]);
    assert.deepEqual(out.call, { sipCode: 200, toNumber: '+34600999888', fromNumber: DID, endedBy: 'caller', recording: 'ATTACHED' }, 'the agent hung up; the campaign of the caller ID records');
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: outboundId }, f.agents[0]!.token);
  });

  it('survives a Kamailio restart: the phone registers again and new calls reach it', async () => {
    const runtime = telephonyRuntime(api.running.app)!;
    const firstPid = runtime.kamailio.pid!;
    process.kill(firstPid, 'SIGKILL');
    await waitFor('a new Kamailio', async () => runtime.kamailio.pid && runtime.kamailio.pid !== firstPid);
    await waitFor('Kamailio answering again', () => kamailioRpc(api.running.app, 'core.version').then(() => true, () => false), 15_000);
    const reg = await waitFor('REGISTER accepted again', async () => {
      const r = await sip.register(creds, phonePort.value);
      return r.code === 0 && r;
    }, 15_000);
    assert.equal(reg.code, 0);
    assert.equal(await sipRegistered(), true);
    const call = await inboundCall();
    assert.equal(call.trunk.code, 0, sippLog(call.trunk));
    await waitFor('WRAP_UP', async () => (await api.ok(INTERACTION, { id: call.id }, f.t.adminToken)).interaction.state === 'WRAP_UP');
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: call.id }, f.agents[0]!.token);
  });

  it('gives the carrier 404 for an unknown number, 403 for a blacklisted caller and 503 beyond the channel limit', async () => {
    const count = async () => (await api.ok('{ interactions { totalCount } }', {}, f.t.adminToken)).interactions.totalCount as number;
    const before = await count();
    const unknown = await sip.trunkCall('+15145550999', 10_000);
    assert.equal(refusedWith(unknown), 404, sippLog(unknown));

    const entry = (await api.ok('mutation($v: String!) { addBlacklistEntry(input: { kind: PHONE, value: $v }) { id } }', { v: CALLER }, f.t.adminToken)).addBlacklistEntry.id;
    const blocked = await sip.trunkCall(DID, 10_000);
    assert.equal(refusedWith(blocked), 403, sippLog(blocked));
    await api.ok('mutation($id: ID!) { removeBlacklistEntry(id: $id) }', { id: entry }, f.t.adminToken);
    assert.equal(await count(), before, 'refused calls create nothing');

    // 5 seats: 25 channels, all taken by calls in progress elsewhere
    for (let n = 0; n < 25; n++) {
      const taken = await reserveChannel(api.running.app, f.t.id, { sipCallId: `busy-${n}@elsewhere`, fromNumber: '+15145550000', toNumber: DID, trunkId: null });
      assert.notEqual(taken, 'full');
    }
    const full = await sip.trunkCall(DID, 10_000);
    assert.equal(refusedWith(full), 503, sippLog(full));
  });
});
