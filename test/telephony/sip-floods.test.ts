/**
 * Floods and scanners (issue 11, item 3): scanners' requests are dropped without an answer, no
 * reply names the product, an INVITE from an address that is no trunk's (and no authenticated
 * agent's) is refused by Kamailio without asking the API, and a flooding address is banned
 * (SIP_FLOOD_LIMIT per 2 s, pike), not merely answered 503. The API is reached through a counting
 * relay, so the test sees every route request Kamailio makes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, startTelephonyTestApi, telephonySkipReason, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { refusedWith, sippLog } from './voice-peers.js';
import { attackerIp, optionsProbe, responsesReceived } from './sip-attacker.js';

const skip = await telephonySkipReason();
const DID = '+15145550188';
const FLOOD_LIMIT = 10;

/** An HTTP relay to the API that counts Kamailio's route requests (TELEPHONY_API_URL points at it). */
async function countingRelay(): Promise<{ url: string; routeRequests: () => number; target: { url: string }; close(): Promise<void> }> {
  const target = { url: '' };
  let routes = 0;
  const server: Server = createServer(async (req, res) => {
    if (req.url?.endsWith('/route')) routes++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
    const answer = await fetch(`${target.url}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, routeRequests: () => routes, target, close: () => new Promise((r) => server.close(() => r())) };
}

describe('SIP floods and scanners', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let relay: Awaited<ReturnType<typeof countingRelay>>;
  let f: Floor;
  let dir: string;

  before(async () => {
    relay = await countingRelay();
    api = await startTelephonyTestApi({ apiUrlForKamailio: relay.url, floodLimit: FLOOD_LIMIT, banFailures: 5, banSeconds: 300 });
    relay.target.url = api.url;
    dir = await mkdtemp(join(tmpdir(), 'sb-floods-'));
    // the carrier trunk allows 127.0.0.1 only (addCarrierNumber's default); attackers use other loopback addresses
    f = await floor(api, { agents: 1, kind: 'VOICE', campaign: { type: 'VOICE_INBOUND', ringSeconds: 5 } });
    await addCarrierNumber(api, f, DID, { port: await freeUdpPorts() });
  });
  after(async () => {
    await api?.stop();
    await relay?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const call = async (ip: string, timeoutMs = 10_000) =>
    runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call.xml'), '-s', DID, '-m', '1',
      '-i', ip, '-p', String(await freeUdpPorts())], timeoutMs);
  const bans = async () => (await api.ok('{ sipBans { address reason } }', {}, api.operatorToken)).sipBans as { address: string; reason: string }[];

  it('drops requests from scanners without an answer, and names no product in replies', async () => {
    const ip = attackerIp();
    const scanners = ['friendly-scanner', 'sipvicious 0.3.4', 'sipcli/v1.8', 'sip-scan', 'VaxSIPUserAgent/3.1', 'Friendly-Scanner'];
    const probes = await Promise.all(scanners.map((ua) => optionsProbe(api.telephony.sipUdpPort, ip, ua)));
    probes.forEach((probe, i) => assert.equal(responsesReceived(probe), 0, `${scanners[i]} gets no answer\n${sippLog(probe)}`));
    const log = join(dir, 'options.log');
    const keepAlive = await optionsProbe(api.telephony.sipUdpPort, ip, 'Yealink SIP-T46S', { messageLog: log });
    assert.equal(keepAlive.code, 0, `an ordinary OPTIONS is answered 200\n${sippLog(keepAlive)}`);
    const messages = await readFile(log, 'utf8');
    const at = messages.indexOf('SIP/2.0 200 OK');
    assert.ok(at >= 0, messages);
    const reply = messages.slice(at).split(/^-{10,}/m)[0]!;
    assert.doesNotMatch(reply, /^(Server|User-Agent):/im, `no Server or User-Agent header in the reply:\n${reply}`);
    assert.doesNotMatch(reply, /switchboard|kamailio/i);
  });

  it('refuses an INVITE from an address that is no trunk\'s without asking the API, and asks it for the trunk\'s', async () => {
    const before = relay.routeRequests();
    const stranger = await call(attackerIp());
    assert.equal(refusedWith(stranger), 403, sippLog(stranger));
    assert.equal(relay.routeRequests(), before, 'Kamailio did not ask the API');
    // the same call from the trunk's address is the API's to decide (its campaign has no agent on: busy)
    const carrier = await call('127.0.0.1');
    assert.ok(refusedWith(carrier), sippLog(carrier));
    assert.equal(relay.routeRequests(), before + 1, 'the trunk\'s INVITE was put to the API');
  });

  it('bans an address that keeps sending INVITEs from no trunk: it then gets no answer', async () => {
    const ip = attackerIp();
    const before = relay.routeRequests();
    for (let i = 0; i < 5; i++) assert.equal(refusedWith(await call(ip)), 403);
    const banned = await call(ip, 3000);
    assert.equal(responsesReceived(banned), 0, sippLog(banned));
    assert.deepEqual((await bans()).filter((b) => b.address === ip).map((b) => b.reason), ['FAILURES']);
    assert.equal(relay.routeRequests(), before, 'none of them reached the API');
  });

  it('bans a flooding address (pike) instead of answering each request 503, and a lifted ban answers again', async () => {
    const ip = attackerIp();
    const count = 60;
    const flood = await optionsProbe(api.telephony.sipUdpPort, ip, 'flood', { count, rate: 100 });
    const answered = responsesReceived(flood);
    assert.ok(answered > 0 && answered < count / 2, `${answered} of ${count} answered: the rest dropped after the ban\n${sippLog(flood)}`);
    assert.doesNotMatch(flood.output, /SIP\/2\.0 503/, 'no 503: a ban');
    assert.deepEqual((await bans()).filter((b) => b.address === ip).map((b) => b.reason), ['FLOOD']);
    assert.equal(responsesReceived(await optionsProbe(api.telephony.sipUdpPort, ip, 'flood')), 0, 'still banned');
    await api.ok('mutation($a: String!) { liftSipBan(address: $a) { address } }', { a: ip }, api.operatorToken);
    assert.equal((await optionsProbe(api.telephony.sipUdpPort, ip, 'flood')).code, 0, 'answered again');
  });

  it('never bans a trunk\'s address, however fast it sends', async () => {
    const flood = await optionsProbe(api.telephony.sipUdpPort, '127.0.0.1', 'carrier', { count: 60, rate: 100 });
    assert.equal(responsesReceived(flood), 60, sippLog(flood));
    assert.deepEqual((await bans()).filter((b) => b.address === '127.0.0.1'), []);
  });
});
