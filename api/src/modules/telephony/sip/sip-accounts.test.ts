import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant, createUsers, signIn } from '../../../testing/fixtures.js';
import { codeOf, startTestApi, type TestApi } from '../../../testing/harness.js';
import { startTelephonyTestApi, telephonySkipReason } from '../../../testing/telephony.js';
import { digestHa1 } from './sip-accounts.js';
import { sipUsername } from '../sip-identity.js';

interface Row {
  username: string;
  domain: string;
  password: string;
  ha1: string;
  live: boolean;
}

const skip = await telephonySkipReason();

describe('SIP credentials without telephony', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('are refused with TELEPHONY_UNAVAILABLE, so the softphone shows no voice controls', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const token = await signIn(api, agent.email, agent.password, t.slug);
    const res = await api.gql('mutation { issueSipCredentials { password } }', {}, token);
    assert.equal(codeOf(res), 'TELEPHONY_UNAVAILABLE');
  });
});

describe('SIP accounts (Kamailio subscriber rows)', { skip: skip ?? false }, () => {
  let api: TestApi;
  before(async () => {
    api = await startTelephonyTestApi();
  });
  after(() => api.stop());

  const row = async (userId: string): Promise<Row | undefined> => {
    const rows = await api.running.app.orm.em.fork().getConnection().execute<Row[]>(
      `select s.username, s.domain, s.password, s.ha1, exists (select 1 from kamailio.subscriber_live l where l.id = s.id) as live
         from kamailio.subscriber s where s.user_id = ?`,
      [userId],
    );
    return rows[0];
  };

  it('are created, rotated and removed with the user, holding HA1 only', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const created = await row(agent.id);
    assert.ok(created, 'an agent gets an account with its user');
    assert.equal(created.username, sipUsername(agent.id));
    assert.equal(created.domain, `${t.slug}.sip.switchboard.local`);
    assert.equal(created.password, '', 'no clear password');
    assert.equal(created.live, false, 'unusable until the softphone asks for credentials');
    assert.equal(await row(t.adminId), undefined, 'administrators have no SIP account');

    const token = await signIn(api, agent.email, agent.password, t.slug);
    const creds = (await api.ok('mutation { issueSipCredentials { username domain password expiresAt } }', {}, token)).issueSipCredentials;
    const issued = (await row(agent.id))!;
    assert.equal(issued.ha1, digestHa1(creds.username, creds.domain, creds.password).ha1);
    assert.equal(issued.password, '');
    assert.equal(issued.live, true);
    assert.ok(new Date(creds.expiresAt).getTime() > Date.now() + 11 * 3600_000, 'valid for SIP_CREDENTIAL_TTL');

    await api.ok('mutation($id: ID!) { setUserPassword(id: $id, password: "another-password-123") { id } }', { id: agent.id }, t.adminToken);
    const rotated = (await row(agent.id))!;
    assert.notEqual(rotated.ha1, issued.ha1, 'a new password rotates the SIP secret');
    assert.equal(rotated.live, false);

    await api.ok('mutation($id: ID!) { updateUser(id: $id, input: { status: DISABLED }) { id } }', { id: agent.id }, t.adminToken);
    assert.equal(await row(agent.id), undefined, 'a disabled user has no SIP account');
    await api.ok('mutation($id: ID!) { updateUser(id: $id, input: { status: ACTIVE }) { id } }', { id: agent.id }, t.adminToken);
    assert.equal((await row(agent.id))?.live, false, 'back, without usable credentials');

    await api.running.app.orm.em.fork().getConnection().execute('delete from app_user where id = ?', [agent.id]);
    assert.equal(await row(agent.id), undefined, 'removed with the user');
  });
});
