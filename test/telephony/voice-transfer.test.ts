/**
 * A blind transfer end to end with real peers: sipp as the carrier (accepts REFER with 202 and
 * NOTIFY, places the new INVITE to the Refer-To, hangs up the first leg), sipp as agent A's desk
 * phone (REFERs when its softphone command arrives) and as agent B's (answers), through Kamailio,
 * rtpengine and the API. In CI, missing binaries fail it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, startSipp, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { rtpengineNg } from '../../api/src/modules/telephony/runtime/index.js';
import { sippLog, VoicePeers, type SipCredentials } from './voice-peers.js';
import { readStereoWav } from '../../api/src/modules/telephony/recordings/wav.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';

const skip = await telephonySkipReason();
const DID = '+15145550177';

interface Seen {
  kind: string;
  id: string;
  state: string;
  agent: string | null;
}

/** Packets rtpengine relayed per leg of one call. */
async function packetsPerLeg(port: number, callId: string): Promise<number[]> {
  const q = await rtpengineNg(port, { command: 'query', 'call-id': callId });
  if (q.result !== 'ok') return [];
  const tags = Object.values(q.tags as Record<string, { medias?: { streams?: { stats?: { packets?: number } }[] }[] }>);
  return tags.map((tag) => (tag.medias ?? []).flatMap((m) => m.streams ?? []).reduce((n, s) => n + (s.stats?.packets ?? 0), 0));
}

const rtpCalls = async (port: number): Promise<string[]> =>
  (((await rtpengineNg(port, { command: 'list' })) as { calls?: unknown[] }).calls ?? []).map(String);

/** What the softphone does with a TRANSFER command, for a desk phone run by sipp: an INFO in its dialog says where to REFER. */
function tellPhone(port: number, callId: string, referTo: string): Promise<void> {
  const msg = [
    `INFO sip:agent@127.0.0.1:${port} SIP/2.0`,
    'Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-xfer-test',
    'From: <sip:test@127.0.0.1>;tag=test',
    'To: <sip:agent@127.0.0.1>',
    `Call-ID: ${callId}`,
    'CSeq: 1 INFO',
    `X-Refer-To: <${referTo}>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => socket.send(msg, port, '127.0.0.1', (err) => (socket.close(), err ? reject(err) : resolve())));
}

describe('voice transfer end to end: REFER from the agent, the carrier calls the target, agent B answers', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let f: Floor;
  let sip: VoicePeers;
  let dir: string;
  const creds: SipCredentials[] = [];
  const ports: number[] = [];
  const seen: Seen[] = [];
  const commands: { kind: string; referTo: string | null; interactionId: string | null }[] = [];

  before(async () => {
    api = await startTelephonyTestApi();
    sip = new VoicePeers(api.telephony.sipUdpPort);
    dir = await mkdtemp(join(tmpdir(), 'sb-xfer-'));
    f = await floor(api, { agents: 2, kind: 'VOICE', queue: { wrapUpSeconds: 300 }, campaign: { type: 'VOICE_INBOUND', ringSeconds: 15, recordCalls: true } });
    await addCarrierNumber(api, f, DID, { port: await freeUdpPorts() });
    for (const agent of f.agents) {
      creds.push((await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, agent.token)).issueSipCredentials);
      ports.push(await freeUdpPorts());
    }
    const watch = <T>(token: string, query: string, onData: (d: T) => void) =>
      api.ws(token).subscribe<T>({ query }, { next: (m) => onData(m.data!), error: () => {}, complete: () => {} });
    watch<{ interactionEvents: { kind: string; interaction: { id: string; state: string; agent: { id: string } | null } } }>(
      f.t.adminToken, 'subscription { interactionEvents { kind interaction { id state agent { id } } } }',
      ({ interactionEvents: e }) => void seen.push({ kind: e.kind, id: e.interaction.id, state: e.interaction.state, agent: e.interaction.agent?.id ?? null }));
    watch<{ softphoneCommands: (typeof commands)[number] }>(f.agents[0]!.token, 'subscription { softphoneCommands { kind referTo interactionId } }',
      ({ softphoneCommands: c }) => void commands.push(c));
    await new Promise((r) => setTimeout(r, 300));
  });
  after(async () => {
    await api?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const status = async (token: string) => (await api.ok('{ myAgentState { status } }', {}, token)).myAgentState.status as string;

  it('moves the caller from agent A to agent B on the same interaction, with media on the new leg', async () => {
    const [a, b] = f.agents;
    // only A's phone is registered when the call comes in, so the call is A's
    const regA = await sip.register(creds[0]!, ports[0]!);
    assert.equal(regA.code, 0, sippLog(regA));
    const phoneA = await startSipp(['-sf', join(SIPP_SCENARIOS, 'agent-answer-refer.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(ports[0]),
      '-mp', String(await freeUdpPorts(4)), '-rtp_echo', '-timeout', '40s', '-timeout_error']);
    const targetFile = join(dir, 'refer-to.txt');
    const leg1 = runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call-transferable.xml'), '-s', DID, '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4)), '-key', 'target_file', targetFile], 40_000);
    const answered = await waitFor('ANSWERED by A', async () => seen.find((e) => e.kind === 'ANSWERED'), 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; events ${JSON.stringify(seen)}; phone A:\n${phoneA.output().slice(-1500)}`);
    });
    const id = answered.id;
    assert.equal(answered.agent, a!.id);
    const [leg1CallId] = await rtpCalls(api.telephony.rtpengineNgPort);
    assert.ok(leg1CallId, 'rtpengine carries the first leg');

    const regB = await sip.register(creds[1]!, ports[1]!);
    assert.equal(regB.code, 0, sippLog(regB));
    await waitFor("B's phone registered", async () =>
      (await api.ok('{ transferTargets { agents { id available } } }', {}, a!.token)).transferTargets.agents.find((x: { id: string; available: boolean }) => x.id === b!.id)?.available);
    const phoneB = await sip.answeringPhone(ports[1]!);

    const moved = await api.ok('mutation($id: ID!, $q: ID) { transferInteraction(id: $id, queueId: $q) { state } }', { id, q: f.queueId }, a!.token);
    assert.equal(moved.transferInteraction.state, 'ACTIVE');
    const command = await waitFor('TRANSFER command', async () => commands.find((c) => c.kind === 'TRANSFER' && c.interactionId === id));
    await tellPhone(ports[0]!, leg1CallId!, command.referTo!);

    // 202 from the carrier: Kamailio's `transferred` event hands the call over
    await waitFor('TRANSFERRED', async () => seen.some((e) => e.id === id && e.kind === 'TRANSFERRED'), 15_000).catch((err: Error) => {
      throw new Error(`${err.message}; events ${JSON.stringify(seen)}; phone A:\n${phoneA.output().slice(-2000)}`);
    });
    const referTo = (await waitFor('the carrier saw the Refer-To', () => readFile(targetFile, 'utf8').catch(() => null))).trim();
    assert.equal(referTo, command.referTo, 'the REFER reached the carrier with the target the API issued');
    assert.equal(await status(a!.token), 'WRAP_UP', "A's part is over: wrap-up for the queue's time");

    const leg2 = runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call-transferred.xml'), '-key', 'target', referTo, '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4))], 30_000);
    const byB = await waitFor('ANSWERED by B', async () => seen.find((e) => e.id === id && e.kind === 'ANSWERED' && e.agent === b!.id), 20_000).catch((err: Error) => {
      throw new Error(`${err.message}; events ${JSON.stringify(seen)}; phone B:\n${phoneB.output().slice(-1500)}`);
    });
    assert.equal(byB.state, 'ACTIVE');
    assert.equal(await status(b!.token), 'BUSY');
    assert.equal(await status(a!.token), 'WRAP_UP');
    const leg2CallId = await waitFor('the new leg in rtpengine', async () => (await rtpCalls(api.telephony.rtpengineNgPort)).find((c) => c !== leg1CallId));
    const packets = await waitFor('RTP both ways on the new leg', async () => {
      const perLeg = await packetsPerLeg(api.telephony.rtpengineNgPort, leg2CallId);
      return perLeg.length === 2 && perLeg.every((n) => n > 20) && perLeg;
    }, 10_000);
    assert.ok(packets.every((n) => n > 20));

    for (const [name, run] of [['carrier leg 1', await leg1], ['carrier leg 2', await leg2], ['phone A', await phoneA.done], ['phone B', await phoneB.done]] as const) {
      assert.equal(run.code, 0, `${name}:\n${sippLog(run)}`);
    }
    const done = await waitFor('WRAP_UP with B', async () => {
      const i = (await api.ok('query($id: ID!) { interaction(id: $id) { state agent { id } call { endedBy sipCode } } }', { id }, f.t.adminToken)).interaction;
      return i.state === 'WRAP_UP' && i;
    }, 15_000);
    assert.deepEqual(done, { state: 'WRAP_UP', agent: { id: b!.id }, call: { endedBy: 'caller', sipCode: 200 } });
    await waitFor('CLOSED for B', async () => seen.some((e) => e.id === id && e.kind === 'CLOSED'));
    const kinds = seen.filter((e) => e.id === id).map((e) => e.kind);
    assert.deepEqual(kinds, ['CREATED', 'OFFERED', 'ANSWERED', 'TRANSFERRED', 'OFFERED', 'ANSWERED', 'CLOSED'], JSON.stringify(seen));
    const stats = (await api.ok('query($q: [ID!]) { queueStats(queueIds: $q) { offeredToday answeredToday abandonedToday waiting } }', { q: [f.queueId] }, f.t.adminToken)).queueStats[0];
    assert.deepEqual(stats, { offeredToday: 1, answeredToday: 1, abandonedToday: 0, waiting: 0 });

    // the recording is both parts, A's then B's: leg 2 alone is its 4 s of talk
    const recorded = await waitFor('the recording attached', async () => {
      const i = (await api.ok('query($id: ID!) { interaction(id: $id) { recordingUrl call { recording } } }', { id }, f.t.adminToken)).interaction;
      return i.call.recording !== 'PENDING' && i;
    }, 20_000);
    assert.equal(recorded.call.recording, 'ATTACHED');
    const wav = readStereoWav(Buffer.from(await (await fetch(new URL(recorded.recordingUrl, api.url))).arrayBuffer()));
    const seconds = wav.left.length / wav.rate;
    assert.ok(seconds > 4.8, `${seconds.toFixed(1)} s recorded: the first agent's part is missing`);
    const rms = (x: Int16Array) => Math.sqrt(x.reduce((n, v) => n + v * v, 0) / Math.max(1, x.length));
    const firstSecond = [wav.left.subarray(0, wav.rate), wav.right.subarray(0, wav.rate)].map(rms);
    assert.ok(firstSecond.every((level) => level > 100), `A's part has sound both ways: RMS ${firstSecond.map((r) => r.toFixed(0)).join('/')}`);
    const spool = await readdir(join(api.running.app.config.dataDir, 'recordings', 'spool', 'metadata')).catch(() => [] as string[]);
    assert.deepEqual(spool, [], 'no leg left behind in the spool');
  });
});
