/**
 * Kamailio's side of calls with decisions chosen by the test: a test handler replaces the calls
 * module's at the contract endpoints, sipp plays the trunk and a registered agent's phone. The real
 * handlers end to end: test/telephony/voice-e2e.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createTenant, createUsers, signIn } from '../../../testing/fixtures.js';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, startSipp, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../../testing/telephony.js';
import { httpRoutes } from '../../http-routes.js';
import { registerCallRoutes } from '../calls/index.js';
import { kamailioEndpoint } from '../kamailio-endpoint.js';
import type { CallEvent, RouteDecision, RouteRequest } from '../kamailio.contract.js';
import { rtpengineNg, telephonyRuntime } from './index.js';
import { sipUsername } from '../sip-identity.js';

const skip = await telephonySkipReason();

describe('Kamailio call flow with an agent decision', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  const routeRequests: RouteRequest[] = [];
  const events: CallEvent[] = [];
  let decide: (r: RouteRequest) => RouteDecision = () => ({ action: 'reject', code: 404, reason: 'Nobody' });
  const testRoutes = async (fastify: Parameters<(typeof httpRoutes)[number]>[0], app: Parameters<(typeof httpRoutes)[number]>[1]) => {
    kamailioEndpoint<RouteRequest, RouteDecision>(fastify, app, 'route', async (r) => (routeRequests.push(r), decide(r)));
    kamailioEndpoint<CallEvent, { ok: true }>(fastify, app, 'call-event', async (e) => (events.push(e), { ok: true }));
  };
  // the calls module's own handlers step aside for this file (test/telephony/voice-e2e.test.ts runs them)
  const callRoutes = httpRoutes.indexOf(registerCallRoutes);
  before(async () => {
    httpRoutes.splice(callRoutes, 1, testRoutes);
    api = await startTelephonyTestApi();
    // Kamailio asks the API only about INVITEs from a trunk's address (or an agent's): sipp's
    const carrier = await createTenant(api, { seats: 5 });
    await api.ok('mutation { createSipTrunk(input: { name: "Carrier", host: "127.0.0.1", allowedSources: ["127.0.0.1"] }) { id } }', {}, carrier.adminToken);
  });
  after(async () => {
    httpRoutes.splice(httpRoutes.indexOf(testRoutes), 1, registerCallRoutes);
    await api?.stop();
  });

  /** A new tenant's agent with issued SIP credentials, registered by sipp from `agentPort`. */
  async function registeredAgent() {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const token = await signIn(api, agent.email, agent.password, t.slug);
    const creds = (await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, token)).issueSipCredentials;
    const agentPort = await freeUdpPorts();
    const reg = await runSipp([
      `127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'register.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(agentPort),
      '-au', creds.username, '-ap', creds.password, '-key', 'user', creds.username, '-key', 'domain', creds.domain,
    ]);
    assert.equal(reg.code, 0, `${reg.output.slice(0, 1500)}\nKamailio:\n${telephonyRuntime(api.running.app)?.kamailio.output().split('\n').slice(-40).join('\n')}`);
    return { t, token, creds, agentPort };
  }

  it('asks the API, forks to the registered agent through rtpengine, and posts ringing/answered/ended', async () => {
    const { creds, agentPort } = await registeredAgent();
    const phone = await startSipp(['-sf', join(SIPP_SCENARIOS, 'agent-answer.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(agentPort),
      '-mp', String(await freeUdpPorts(4)), '-rtp_echo', '-timeout', '30s']);

    decide = () => ({ action: 'agent', aor: creds.uri, interactionId: 'interaction-1', record: true, ringSeconds: 10 });
    const trunk = runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call.xml'), '-s', '+34911000111', '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4))], 30_000);

    await waitFor('answered', async () => events.find((e) => e.event === 'answered'), 15_000).catch((err: Error) => {
      throw new Error(`${err.message}; events ${JSON.stringify(events)}; phone:\n${phone.output().slice(-1500)}`);
    });
    const request = routeRequests[0]!;
    assert.equal(request.ruriUser, '+34911000111');
    assert.equal(request.fromUser, '+34600111222');
    assert.equal(request.transport, 'udp');
    assert.equal(request.authUser, undefined, 'a trunk call carries no agent identity');

    // media flows both ways through rtpengine while the call is up
    let packets: number[] = [];
    await waitFor('RTP both ways in rtpengine', async () => {
      const query = await rtpengineNg(api.telephony.rtpengineNgPort, { command: 'query', 'call-id': request.callId });
      if (query.result !== 'ok') return false;
      const tags = Object.values(query.tags as Record<string, { medias?: { streams?: { stats?: { packets?: number } }[] }[] }>);
      packets = tags.map((tag) => (tag.medias ?? []).flatMap((m) => m.streams ?? []).reduce((n, s) => n + (s.stats?.packets ?? 0), 0));
      return packets.length === 2 && packets.every((n) => n > 10);
    }, 10_000).catch((err: Error) => assert.fail(`${err.message}; packets per leg: ${packets.join(', ')}`));

    const done = await trunk;
    assert.equal(done.code, 0, done.output.slice(-2000));
    await phone.done;
    await waitFor('ended', async () => events.find((e) => e.event === 'ended'), 10_000);
    const kinds = events.filter((e) => e.callId === request.callId).map((e) => e.event);
    assert.deepEqual(kinds, ['ringing', 'answered', 'ended']);
    assert.ok(events.every((e) => e.interactionId === 'interaction-1' && e.at > Date.now() - 60_000 && e.at <= Date.now()));
    assert.equal(events.find((e) => e.event === 'ended')!.by, 'caller');
    const recorded = (await readdir(join(api.dataDir, 'recordings'), { recursive: true })).filter((f) => f.endsWith('.pcap'));
    assert.ok(recorded.length > 0, 'record: true left a pcap under <dataDir>/recordings');
  });

  it("sends an authenticated agent's call to the trunk the API names, answering its digest challenge", async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const token = await signIn(api, agent.email, agent.password, t.slug);
    const creds = (await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, token)).issueSipCredentials;
    const trunkPort = await freeUdpPorts();
    const carrierLog = join(api.dataDir, 'carrier-messages.log');
    const carrier = await startSipp(['-sf', join(SIPP_SCENARIOS, 'trunk-answer.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(trunkPort),
      '-mp', String(await freeUdpPorts(4)), '-rtp_echo', '-timeout', '30s', '-timeout_error', '-trace_msg', '-message_file', carrierLog]);
    decide = (r) => ({
      action: 'trunk', ruri: `sip:${r.ruriUser}@127.0.0.1:${trunkPort}`, callerId: '+34911000111',
      auth: { username: 'trunk', password: 'trunkpass' }, interactionId: 'interaction-out', record: false,
    });
    const call = await runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'agent-call.xml'), '-s', '+34600999888', '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4)),
      '-au', creds.username, '-ap', creds.password, '-key', 'user', creds.username, '-key', 'domain', creds.domain], 30_000);
    assert.equal(call.code, 0, call.output.slice(-2500));
    const carrierDone = await carrier.done;
    assert.equal(carrierDone.code, 0, carrierDone.output.slice(-1500));
    const seenByCarrier = await readFile(carrierLog, 'utf8');
    assert.match(seenByCarrier, /^From: <sip:\+34911000111@/m, 'the caller ID is the one the API chose');
    assert.doesNotMatch(seenByCarrier, /Proxy-Authorization: Digest username="a[0-9a-f]{32}"/, "the agent's credentials stay here");
    const uri = `sip:+34600999888@127.0.0.1:${trunkPort}`;
    const md5 = (x: string) => createHash('md5').update(x).digest('hex');
    const expected = md5(`${md5('trunk:carrier.test:trunkpass')}:switchboard-test-nonce:${md5(`INVITE:${uri}`)}`);
    assert.match(seenByCarrier, new RegExp(`Proxy-Authorization: Digest username="trunk".*response="${expected}"`), 'uac_auth answered the challenge');
    const request = routeRequests.find((r) => r.ruriUser === '+34600999888')!;
    assert.equal(request.authUser, creds.username, 'the API learns which agent calls');
    assert.equal(request.authDomain, creds.domain);
    await waitFor('ended', async () => events.find((e) => e.callId === request.callId && e.event === 'ended'), 10_000);
    assert.deepEqual(events.filter((e) => e.callId === request.callId).map((e) => e.event), ['ringing', 'answered', 'ended']);
  });

  it('fails the call with 480 and posts failed when the agent has no registration', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    decide = () => ({ action: 'agent', aor: `sip:${sipUsername(agent.id)}@${t.slug}.${api.telephony.sipDomain}`, interactionId: 'interaction-2', record: false, ringSeconds: 5 });
    const trunk = await runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call.xml'), '-s', '+34911000222', '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4))], 10_000);
    assert.notEqual(trunk.code, 0);
    assert.match(trunk.output, /480/);
    const failed = await waitFor('failed', async () => events.find((e) => e.interactionId === 'interaction-2'), 5000);
    assert.equal(failed.event, 'failed');
    assert.equal(failed.code, 480);
  });

  it('relays a reject decision with its code', async () => {
    decide = () => ({ action: 'reject', code: 486, reason: 'Busy Here' });
    const trunk = await runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call.xml'), '-s', '+34911000333', '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4))], 10_000);
    assert.notEqual(trunk.code, 0);
    assert.match(trunk.output, /486/);
  });

  it('posts held and resumed when the caller re-INVITEs sendonly, then sendrecv', async () => {
    const { creds, agentPort } = await registeredAgent();
    const phone = await startSipp(['-sf', join(SIPP_SCENARIOS, 'agent-answer-hold.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(agentPort),
      '-mp', String(await freeUdpPorts(4)), '-timeout', '30s']);
    decide = () => ({ action: 'agent', aor: creds.uri, interactionId: 'interaction-hold', record: false, ringSeconds: 10 });
    const trunk = await runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call-hold.xml'), '-s', '+34911000444', '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4))], 30_000);
    assert.equal(trunk.code, 0, trunk.output.slice(-2500));
    assert.equal((await phone.done).code, 0);
    const mine = () => events.filter((e) => e.interactionId === 'interaction-hold').map((e) => e.event);
    await waitFor('ended', async () => mine().includes('ended'), 10_000);
    assert.deepEqual(mine(), ['ringing', 'answered', 'held', 'resumed', 'ended']);
  });
});
