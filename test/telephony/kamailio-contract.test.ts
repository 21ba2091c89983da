/**
 * The Kamailio -> API contract held against the REAL telephony/kamailio.cfg (issue 21, item 10):
 * Kamailio + rtpengine started by the platform, sipp as carrier and desk phones, and a recording
 * relay between Kamailio and the API (startTelephonyTestApi puts it there). Every request Kamailio
 * sends during a set of real calls and registrations is checked against kamailio.contract.ts (path,
 * JSON, shared secret, each field's presence and type, no field the contract does not name) by
 * `checkKamailioRequest`, the check the tests' fake Kamailio (testing/kamailio-peer.ts) is held to
 * as well. Ring-time expiry, tested elsewhere against the fake only, runs here on the real stack.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, startSipp, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import type { CallEvent, RegistrationEvent, RouteRequest } from '../../api/src/modules/telephony/kamailio.contract.js';
import { KAMAILIO_REQUEST_SHAPES } from '../../api/src/modules/telephony/kamailio.contract.js';
import { refusedWith, sippLog, VoicePeers, type SipCredentials } from './voice-peers.js';

const skip = await telephonySkipReason();
const DID = '+15145550161';

describe('the real kamailio.cfg keeps the Kamailio -> API contract', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let f: Floor;
  let sip: VoicePeers;
  const creds: SipCredentials[] = [];
  const ports: number[] = [];
  let trunkPort = 0;

  before(async () => {
    // contacts may expire within a second or two: the expiry case waits for Kamailio's own timer
    api = await startTelephonyTestApi({ sipMinExpires: 1, sipUsrlocTimer: 1 });
    sip = new VoicePeers(api.telephony.sipUdpPort);
    f = await floor(api, { agents: 2, kind: 'VOICE', queue: { wrapUpSeconds: 0 }, campaign: { type: 'VOICE_INBOUND', ringSeconds: 5 } });
    trunkPort = await freeUdpPorts();
    await addCarrierNumber(api, f, DID, { port: trunkPort, username: 'trunk', password: 'trunkpass' });
    for (const agent of f.agents) {
      creds.push((await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, agent.token)).issueSipCredentials);
      ports.push(await freeUdpPorts());
    }
  });
  after(() => api?.stop());
  afterEach(async () => {
    assert.deepEqual(await api.contractBreaches(), [], 'every request Kamailio sent so far keeps the contract');
    const left = await api.ok('query($f: InteractionFilter) { interactions(filter: $f, first: 20) { edges { node { id } } } }', { f: { state: 'WRAP_UP' } }, f.t.adminToken);
    for (const { node } of left.interactions.edges as { node: { id: string } }[]) {
      await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: node.id }, f.t.adminToken).catch(() => {});
    }
  });

  const bodies = <T>(kind: keyof typeof KAMAILIO_REQUEST_SHAPES): T[] =>
    api.kamailioRequests.filter((r) => r.path.endsWith(`/${kind}`)).map((r) => JSON.parse(r.body) as T);
  const events = (callId: string) => bodies<CallEvent>('call-event').filter((e) => e.callId === callId);
  /** The route request of the call Kamailio asked about after `from` requests, and its call id. */
  const routed = (from: number) =>
    waitFor('a route request', async () => api.kamailioRequests.slice(from).find((r) => r.path.endsWith('/route'))).then((r) => JSON.parse(r.body) as RouteRequest);
  const registration = (username: string, event: RegistrationEvent['event']) =>
    waitFor(`${event} of ${username}`, async () => bodies<RegistrationEvent>('registration').find((r) => r.username === username && r.event === event), 15_000);
  const register = (c: SipCredentials, port: number, expires: number) =>
    runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'register-expires.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(port),
      '-au', c.username, '-ap', c.password, '-key', 'user', c.username, '-key', 'domain', c.domain, '-key', 'expires', String(expires)], 10_000);

  it('posts registered, unregistered and expired for an agent phone', async () => {
    const [, b] = creds;
    assert.equal((await register(b!, ports[1]!, 600)).code, 0);
    const registered = await registration(b!.username, 'registered');
    assert.deepEqual([registered.domain, registered.expires, registered.transport], [b!.domain, 600, 'udp']);
    assert.equal((await register(b!, ports[1]!, 0)).code, 0);
    await registration(b!.username, 'unregistered');
    assert.equal((await register(b!, ports[1]!, 2)).code, 0);
    const expired = await registration(b!.username, 'expired');
    assert.equal(expired.expires, 0);
  });

  it('asks for a route, then posts ringing, answered and ended for a trunk call the agent answers and the caller hangs up', async () => {
    assert.equal((await sip.register(creds[0]!, ports[0]!)).code, 0);
    const from = api.kamailioRequests.length;
    const phone = await sip.answeringPhone(ports[0]!);
    const trunk = await sip.trunkCall(DID);
    assert.equal(trunk.code, 0, sippLog(trunk));
    assert.equal((await phone.done).code, 0);
    const req = await routed(from);
    assert.deepEqual([req.ruriUser, req.fromUser, req.transport, req.sourceIp], [DID, '+34600111222', 'udp', '127.0.0.1']);
    const seen = await waitFor('ended', async () => events(req.callId).some((e) => e.event === 'ended') && events(req.callId));
    assert.deepEqual(seen.map((e) => e.event), ['ringing', 'answered', 'ended']);
    assert.deepEqual([seen[2]!.by, seen[2]!.code], ['caller', 200]);
  });

  it('asks for a route for an unknown number and relays the refusal; posts failed with the code when the agent declines', async () => {
    const from = api.kamailioRequests.length;
    assert.equal(refusedWith(await sip.trunkCall('+15145550998', 10_000)), 404);
    const unknown = api.kamailioRequests.slice(from).find((r) => r.path.endsWith('/route'));
    assert.deepEqual(JSON.parse(unknown!.response), { action: 'reject', code: 404, reason: 'Not Found' });

    const next = api.kamailioRequests.length;
    const phone = await sip.decliningPhone(ports[0]!);
    assert.equal(refusedWith(await sip.trunkCall(DID, 15_000)), 486);
    await phone.done;
    const req = await routed(next);
    const failed = await waitFor('failed', async () => events(req.callId).find((e) => e.event === 'failed'));
    assert.equal(failed.code, 486);
  });

  it('fails the call with 408 when the ring time runs out, and the interaction is no longer offered (real stack)', async () => {
    const from = api.kamailioRequests.length;
    const phone = await startSipp(['-sf', join(SIPP_SCENARIOS, 'agent-ring-cancel.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(ports[0]), '-timeout', '30s', '-timeout_error']);
    const started = Date.now();
    const trunk = await sip.trunkCall(DID, 30_000);
    assert.equal(refusedWith(trunk), 408, sippLog(trunk));
    assert.ok(Date.now() - started >= 4500, 'after the campaign ring time of 5 s');
    assert.equal((await phone.done).code, 0, "the phone's ringing was cancelled");
    const req = await routed(from);
    const failed = await waitFor('failed', async () => events(req.callId).find((e) => e.event === 'failed'));
    assert.equal(failed.code, 408);
    const decision = JSON.parse(api.kamailioRequests.slice(from).find((r) => r.path.endsWith('/route'))!.response) as { interactionId: string };
    const i = await waitFor('the offer over', async () => {
      const x = (await api.ok('query($id: ID!) { interaction(id: $id) { state call { sipCode } } }', { id: decision.interactionId }, f.t.adminToken)).interaction;
      return x.state !== 'OFFERED' && x.state !== 'QUEUED' && x;
    });
    assert.deepEqual([i.state, i.call.sipCode], ['ABANDONED', 408]);
  });

  it("asks for a route with the agent's authentication for an outbound call", async () => {
    const from = api.kamailioRequests.length;
    const carrier = await sip.carrier(trunkPort, join(api.dataDir, 'carrier.log'));
    assert.equal((await sip.agentCall(creds[0]!, '+34600999777')).code, 0);
    assert.equal((await carrier.done).code, 0);
    const req = await routed(from);
    assert.deepEqual([req.authUser, req.authDomain, req.ruriUser], [creds[0]!.username, creds[0]!.domain, '+34600999777']);
    await waitFor('ended', async () => events(req.callId).some((e) => e.event === 'ended'));
  });

  it('refuses an INVITE whose From URI does not parse instead of asking for a route with "<null>" in it', async () => {
    const from = api.kamailioRequests.length;
    const call = await sip.identityTrunkCall(DID, { fromUser: '', identity: 'X-Identity: none' }, 10_000);
    assert.equal(refusedWith(call), 400, sippLog(call));
    assert.deepEqual(api.kamailioRequests.slice(from).map((r) => r.path), [], 'the API was not asked');
  });

  it('has seen every kind of request and every event the real calls above make', () => {
    assert.deepEqual(new Set(api.kamailioRequests.map((r) => r.path.split('/').pop())), new Set(Object.keys(KAMAILIO_REQUEST_SHAPES)));
    assert.deepEqual(new Set(bodies<CallEvent>('call-event').map((e) => e.event)), new Set(['ringing', 'answered', 'ended', 'failed']));
    assert.deepEqual(new Set(bodies<RegistrationEvent>('registration').map((e) => e.event)), new Set(['registered', 'unregistered', 'expired']));
    assert.ok(api.kamailioRequests.every((r) => r.status === 200), 'the API took every request');
  });
});
