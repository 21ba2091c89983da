import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../platform/clock.js';
import { codeOf, startTestApi, type TestApi } from '../../../testing/harness.js';
import { floor } from '../../../testing/contact-centre.js';
import { callEvent, invite, registerPhone, route } from '../../../testing/kamailio-peer.js';
import { rtpengineNg as ng } from '../runtime/rtpengine-ng.js';
import { startRtpengine, type Rtpengine } from '../../../testing/rtpengine-process.js';
import { rtpPeer } from '../../../testing/rtp-peer.js';
import { purgeExpired } from '../../interactions/index.js';
import { linearToAlaw, linearToUlaw } from './g711.js';
import { readStereoWav } from './wav.js';
import { recordingSpoolDir } from './storage.js';

/** 20 ms G.711 frames of a sine tone. */
function tone(hz: number, seconds: number, encode: (s: number) => number): Buffer[] {
  const samples = Array.from({ length: seconds * 8000 }, (_, n) => encode(Math.round(8000 * Math.sin((2 * Math.PI * hz * n) / 8000))));
  return Array.from({ length: seconds * 50 }, (_, f) => Buffer.from(samples.slice(f * 160, f * 160 + 160)));
}

/** Power of one frequency in a signal (Goertzel). */
function power(signal: Int16Array, hz: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / 8000);
  let [s1, s2] = [0, 0];
  for (const x of signal) [s1, s2] = [x + k * s1 - s2, s1];
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

const sdp = (port: number) =>
  `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 8 0\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;
const mediaPort = (s: unknown) => Number(/m=audio (\d+)/.exec(String(s))![1]);

describe('call recordings', () => {
  let api: TestApi;
  let rtpengine: Rtpengine;
  let dataDir: string;
  const clock = new ManualClock('2026-11-23T15:00:00Z');
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sb-recordings-'));
    api = await startTestApi({ clock, config: { dataDir } });
    rtpengine = await startRtpengine(recordingSpoolDir({ dataDir }));
  });
  after(async () => {
    await rtpengine?.stop();
    await api?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('turns what rtpengine recorded into a stereo WAV (caller left, agent right), served by an expiring link and deleted by retention', async () => {
    const f = await floor(api, { agents: 2, kind: 'VOICE', campaign: { type: 'VOICE_INBOUND', recordCalls: true } });
    for (const a of f.agents) await registerPhone(api, f.t.slug, a.id);
    const trunkId = (await api.ok('mutation { createSipTrunk(input: { name: "T", host: "127.0.0.1", allowedSources: ["127.0.0.1"] }) { id } }', {}, f.t.adminToken)).createSipTrunk.id;
    await api.ok('mutation($t: ID!, $c: ID) { addDid(input: { number: "+15145557000", trunkId: $t, campaignId: $c }) { id } }', { t: trunkId, c: f.campaignId }, f.t.adminToken);
    const req = invite({ ruriUser: '+15145557000', sourceIp: '127.0.0.1' });
    const decision = await route(api, req);
    assert.ok(decision.action === 'agent' && decision.record, 'the campaign records its calls');
    const id = decision.interactionId;
    const agent = f.agents.find((a) => a.id === (decision.action === 'agent' && decision.aor.includes(a.id.replace(/-/g, '')) ? a.id : ''))!;

    // what Kamailio does for a recorded call: offer and answer through rtpengine with record-call
    const caller = await rtpPeer();
    const phone = await rtpPeer();
    const offer = await ng(rtpengine.ngPort, { command: 'offer', 'call-id': req.callId, 'from-tag': 'caller', sdp: sdp(caller.port), 'record-call': 'yes' });
    const answer = await ng(rtpengine.ngPort, { command: 'answer', 'call-id': req.callId, 'from-tag': 'caller', 'to-tag': 'agent', sdp: sdp(phone.port), 'record-call': 'yes' });
    assert.deepEqual([offer.result, answer.result], ['ok', 'ok']);
    await callEvent(api, req.callId, id, 'answered');
    // the caller speaks 440 Hz in A-law, the agent 1000 Hz in u-law, for a second each way
    await Promise.all([
      caller.send({ host: '127.0.0.1', port: mediaPort(answer.sdp) }, tone(440, 1, linearToAlaw), 8, 0x1111),
      phone.send({ host: '127.0.0.1', port: mediaPort(offer.sdp) }, tone(1000, 1, linearToUlaw), 0, 0x2222),
    ]);
    for (let i = 0; i < 250 && !(caller.received > 40 && phone.received > 40); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(caller.received > 40 && phone.received > 40, `rtpengine relayed both ways (${caller.received}, ${phone.received})`);
    await ng(rtpengine.ngPort, { command: 'delete', 'call-id': req.callId, 'from-tag': 'caller' });
    caller.close();
    phone.close();
    await callEvent(api, req.callId, id, 'ended', { code: 200, by: 'caller' });

    const url = (await api.ok('query($id: ID!) { interaction(id: $id) { recordingUrl } }', { id }, f.t.adminToken)).interaction.recordingUrl as string;
    assert.match(url, /^\/recordings\/[0-9a-f-]{36}\.wav\?expires=\d+&signature=/);
    const response = await fetch(`${api.url}${url}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'audio/wav');
    const wav = readStereoWav(Buffer.from(await response.arrayBuffer()));
    assert.equal(wav.rate, 8000);
    assert.ok(wav.left.length >= 7600 && wav.left.length < 16000, `about a second: ${wav.left.length} samples`);
    const [l440, l1000, r440, r1000] = [power(wav.left, 440), power(wav.left, 1000), power(wav.right, 440), power(wav.right, 1000)];
    assert.ok(l440 > 100 * l1000, 'left: the caller, at 440 Hz');
    assert.ok(r1000 > 100 * r440, 'right: the agent, at 1000 Hz');
    assert.deepEqual(await readdir(join(recordingSpoolDir({ dataDir }), 'pcaps')), [], 'the raw capture is gone from the spool');

    // the link is the key: altered or expired, it opens nothing; other agents cannot get one
    const altered = `${url.slice(0, -2)}${url.at(-2) === 'x' ? 'y' : 'x'}${url.at(-1)}`;
    assert.equal((await fetch(`${api.url}${altered}`)).status, 404);
    const other = f.agents.find((a) => a.id !== agent.id)!;
    assert.equal(codeOf(await api.gql('query($id: ID!) { interaction(id: $id) { recordingUrl } }', { id }, other.token)), 'NOT_FOUND');
    assert.match((await api.ok('query($id: ID!) { interaction(id: $id) { recordingUrl } }', { id }, agent.token)).interaction.recordingUrl, /^\/recordings\//);
    clock.advance(301_000);
    assert.equal((await fetch(`${api.url}${url}`)).status, 404, 'expired');

    // retention deletes the file with the reference
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id }, agent.token);
    const file = join(dataDir, 'recordings', 'calls', f.t.id, `${id}.wav`);
    assert.ok(existsSync(file));
    clock.set('2027-12-01T00:00:00Z');
    await purgeExpired(api.running.app);
    assert.ok(!existsSync(file), 'the WAV is deleted');
    assert.equal((await api.ok('query($id: ID!) { interaction(id: $id) { recordingUrl recordingRef } }', { id }, f.t.adminToken)).interaction.recordingUrl, null);
  });
});
