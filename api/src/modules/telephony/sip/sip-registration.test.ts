import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createTenant, createUsers, signIn } from '../../../testing/fixtures.js';
import { codeOf } from '../../../testing/harness.js';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../../testing/telephony.js';
import { kamailioRpc } from '../runtime/index.js';

const skip = await telephonySkipReason();
const ISSUE = 'mutation { issueSipCredentials { username domain password uri wsUrl expiresAt } }';

async function sippRegister(api: TelephonyTestApi, user: string, domain: string, password: string, expect: number) {
  return runSipp([
    `127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, expect === 200 ? 'register.xml' : 'register-refused.xml'), '-m', '1',
    '-i', '127.0.0.1', '-p', String(await freeUdpPorts()),
    '-au', user, '-ap', password, '-key', 'user', user, '-key', 'domain', domain,
  ], 10_000);
}

describe('SIP registration over UDP', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  before(async () => {
    api = await startTelephonyTestApi({ floodLimit: 40 });
  });
  after(() => api?.stop());

  it('registers an agent with the issued credentials, refuses a wrong password, and the API sees presence', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const token = await signIn(api, agent.email, agent.password, t.slug);
    const creds = (await api.ok(ISSUE, {}, token)).issueSipCredentials;
    assert.match(creds.uri, new RegExp(`^sip:${creds.username}@${t.slug}\\.`));

    const bad = await sippRegister(api, creds.username, creds.domain, 'not-the-password', 403);
    assert.equal(bad.code, 0, `a wrong password is refused with 403:\n${bad.output.slice(-2000)}`);
    const good = await sippRegister(api, creds.username, creds.domain, creds.password, 200);
    assert.equal(good.code, 0, `the issued password registers:\n${good.output.slice(-2000)}`);

    const dump = JSON.stringify(await kamailioRpc(api.running.app, 'ul.dump'));
    assert.ok(dump.includes(creds.username), 'usrloc holds the contact');
    const state = await waitFor('presence', async () => {
      const s = (await api.ok('{ agentStates { edges { node { userId sipRegistered } } } }', {}, t.adminToken)).agentStates.edges[0].node;
      return s.sipRegistered ? s : null;
    });
    assert.equal(state.userId, agent.id);

    // issuing again voids the previous password
    await api.ok(ISSUE, {}, token);
    const stale = await sippRegister(api, creds.username, creds.domain, creds.password, 403);
    assert.equal(stale.code, 0, 'the previous password no longer works');
  });

  it('gives credentials to agents only', async () => {
    const t = await createTenant(api, { seats: 5 });
    assert.equal(codeOf(await api.gql(ISSUE, {}, t.adminToken)), 'FORBIDDEN');
    assert.equal(codeOf(await api.gql(ISSUE, {})), 'UNAUTHENTICATED');
  });
});
