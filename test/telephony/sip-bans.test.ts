/**
 * SIP password guessing is cut short (issue 11, item 2): SIP_BAN_FAILURES failed authentications
 * (REGISTER or INVITE) from one address within SIP_BAN_WINDOW ban it for SIP_BAN_SECONDS, during
 * which it gets no answer at all, not even to the right password; an operator sees the ban
 * (`sipBans`) and lifts it (`liftSipBan`). Each test attacks from its own loopback address.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createTenant, createUsers, signIn } from '../../api/src/testing/fixtures.js';
import { codeOf, startTestApi } from '../../api/src/testing/harness.js';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, startTelephonyTestApi, telephonySkipReason, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { refusedWith, sippLog, kamailioTail, type SipCredentials } from './voice-peers.js';
import { attackerIp, responsesReceived } from './sip-attacker.js';

const skip = await telephonySkipReason();
const FAILURES = 3;
const BANS = '{ sipBans { address reason until } }';
const LIFT = 'mutation($a: String!) { liftSipBan(address: $a) { address reason until } }';

describe('SIP bans after failed authentications', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let creds: SipCredentials;
  let adminToken: string;
  let agentToken: string;

  before(async () => {
    api = await startTelephonyTestApi({ banFailures: FAILURES, banWindowSeconds: 60, banSeconds: 300 });
    const t = await createTenant(api, { seats: 5 });
    adminToken = t.adminToken;
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    agentToken = await signIn(api, agent!.email, agent!.password, t.slug);
    creds = (await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, agentToken)).issueSipCredentials;
  });
  after(() => api?.stop());

  const auth = (password: string) => ['-au', creds.username, '-ap', password, '-key', 'user', creds.username, '-key', 'domain', creds.domain];
  /** REGISTERs from `ip`: `count` refused ones (wrong password, 401 then 403), or one with the right password. */
  const register = async (ip: string, options: { wrong?: number; timeoutMs?: number } = {}) =>
    runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, options.wrong ? 'register-refused.xml' : 'register.xml'),
      '-m', String(options.wrong ?? 1), '-r', '20', '-i', ip, '-p', String(await freeUdpPorts()), ...auth(options.wrong ? 'wrong-password' : creds.password)],
    options.timeoutMs ?? 10_000);
  const bans = async () => (await api.ok(BANS, {}, api.operatorToken)).sipBans as { address: string; reason: string; until: string }[];

  it('bans an address after SIP_BAN_FAILURES wrong passwords: the right one gets no answer until an operator lifts the ban', async () => {
    const ip = attackerIp();
    const guesses = await register(ip, { wrong: FAILURES });
    assert.equal(guesses.code, 0, `each wrong password is refused with 403\n${sippLog(guesses)}`);

    const right = await register(ip, { timeoutMs: 3000 });
    assert.equal(responsesReceived(right), 0, `a banned address gets no answer, not even 401\n${sippLog(right)}\n${kamailioTail(api)}`);

    const [ban, ...others] = (await bans()).filter((b) => b.address === ip);
    assert.equal(others.length, 0);
    assert.equal(ban?.reason, 'FAILURES');
    const left = (Date.parse(ban!.until) - Date.now()) / 1000;
    assert.ok(left > 250 && left <= 301, `banned for SIP_BAN_SECONDS (300), ${left} s left`);

    const lifted = (await api.ok(LIFT, { a: ip }, api.operatorToken)).liftSipBan;
    assert.deepEqual(lifted, ban);
    assert.deepEqual((await bans()).filter((b) => b.address === ip), []);
    const after = await register(ip);
    assert.equal(after.code, 0, `the right password works again\n${sippLog(after)}`);
  });

  it('counts failed INVITE authentications too', async () => {
    const ip = attackerIp();
    const call = async (timeoutMs = 10_000) =>
      runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'agent-call.xml'), '-s', '+15145550100', '-m', '1',
        '-i', ip, '-p', String(await freeUdpPorts()), ...auth('wrong-password')], timeoutMs);
    for (let i = 0; i < FAILURES; i++) {
      const refused = await call();
      assert.equal(refusedWith(refused), 403, sippLog(refused));
    }
    const banned = await call(3000);
    assert.equal(responsesReceived(banned), 0, `no 407 for a banned address\n${sippLog(banned)}`);
    assert.deepEqual((await bans()).filter((b) => b.address === ip).map((b) => b.reason), ['FAILURES']);
  });

  it('does not ban below SIP_BAN_FAILURES failures', async () => {
    const ip = attackerIp();
    assert.equal((await register(ip, { wrong: FAILURES - 1 })).code, 0);
    const right = await register(ip);
    assert.equal(right.code, 0, sippLog(right));
    assert.deepEqual((await bans()).filter((b) => b.address === ip), []);
  });

  it('lets only operators see and lift bans, with typed errors for bad input', async () => {
    for (const token of [adminToken, agentToken]) {
      assert.equal(codeOf(await api.gql(BANS, {}, token)), 'FORBIDDEN');
      assert.equal(codeOf(await api.gql(LIFT, { a: '127.0.0.1' }, token)), 'FORBIDDEN');
    }
    assert.equal(codeOf(await api.gql(BANS, {})), 'UNAUTHENTICATED');
    const bad = await api.gql(LIFT, { a: 'not-an-address' }, api.operatorToken);
    assert.equal(codeOf(bad), 'BAD_USER_INPUT');
    assert.equal(bad.errors?.[0]?.extensions?.field, 'address');
    assert.equal(codeOf(await api.gql(LIFT, { a: '192.0.2.77' }, api.operatorToken)), 'NOT_FOUND', 'an address that is not banned');
  });

  it('answers TELEPHONY_UNAVAILABLE when Kamailio cannot be reached', async () => {
    const config = api.running.app.config.telephony;
    const saved = config.rpcPort;
    config.rpcPort = await freeUdpPorts(); // nobody listens there over TCP
    try {
      assert.equal(codeOf(await api.gql(BANS, {}, api.operatorToken)), 'TELEPHONY_UNAVAILABLE');
      assert.equal(codeOf(await api.gql(LIFT, { a: '127.0.0.1' }, api.operatorToken)), 'TELEPHONY_UNAVAILABLE');
    } finally {
      config.rpcPort = saved;
    }
  });
});

describe('SIP bans without telephony', () => {
  it('answers TELEPHONY_UNAVAILABLE', async () => {
    const api = await startTestApi();
    try {
      assert.equal(codeOf(await api.gql(BANS, {}, api.operatorToken)), 'TELEPHONY_UNAVAILABLE');
      assert.equal(codeOf(await api.gql(LIFT, { a: '127.0.0.1' }, api.operatorToken)), 'TELEPHONY_UNAVAILABLE');
    } finally {
      await api.stop();
    }
  });
});
