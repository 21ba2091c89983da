import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi, type TestApi } from '../../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../../testing/fixtures.js';
import { invite, postOffContract } from '../../../testing/kamailio-peer.js';
import { parseSource, sourceAllowed } from './allow-list.js';

const TRUNK = 'mutation($i: SipTrunkInput!) { createSipTrunk(input: $i) { id name host port transport username hasPassword allowedSources callerIdDefault active } }';

describe('SIP trunks and numbers', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('keeps the trunk password write-only and checks addresses, ranges and numbers', async () => {
    const t = await createTenant(api, { seats: 5, kind: 'VOICE' });
    const input = { name: 'Carrier', host: 'sip.carrier.example', username: 'acct', password: 's3cret', allowedSources: ['198.51.100.0/24', '2001:DB8::1'], callerIdDefault: '+1 (514) 555-0100' };
    const trunk = (await api.ok(TRUNK, { i: input }, t.adminToken)).createSipTrunk;
    assert.deepEqual({ ...trunk, id: undefined }, {
      id: undefined, name: 'Carrier', host: 'sip.carrier.example', port: 5060, transport: 'UDP', username: 'acct', hasPassword: true,
      allowedSources: ['198.51.100.0/24', '2001:db8::1'], callerIdDefault: '+15145550100', active: true,
    });
    assert.ok(!JSON.stringify(await api.gql('{ __type(name: "SipTrunk") { fields { name } } }')).includes('"password"'), 'no password field');
    // left out: kept; empty: removed
    const update = 'mutation($id: ID!, $i: SipTrunkInput!) { updateSipTrunk(id: $id, input: $i) { hasPassword } }';
    assert.equal((await api.ok(update, { id: trunk.id, i: { ...input, password: undefined } }, t.adminToken)).updateSipTrunk.hasPassword, true);
    assert.equal((await api.ok(update, { id: trunk.id, i: { ...input, password: '' } }, t.adminToken)).updateSipTrunk.hasPassword, false);
    for (const [field, value] of [['allowedSources', ['10.0.0.0/33']], ['allowedSources', ['not-an-ip']], ['host', 'bad host!'], ['callerIdDefault', '5550100']] as const) {
      const r = await api.gql(TRUNK, { i: { ...input, name: `x-${field}`, [field]: value } }, t.adminToken);
      assert.deepEqual([codeOf(r), r.errors?.[0]?.extensions?.field], ['BAD_USER_INPUT', field], `${field} ${value}`);
    }
    assert.equal(codeOf(await api.gql(TRUNK, { i: input }, t.adminToken)), 'CONFLICT', 'names are unique in a tenant');
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const agentToken = await signIn(api, agent.email, agent.password, t.slug);
    assert.equal(codeOf(await api.gql('{ sipTrunks { totalCount } }', {}, agentToken)), 'FORBIDDEN');
  });

  it('gives a number to one tenant only, and lists it with its trunk and campaign', async () => {
    const a = await createTenant(api, { seats: 5, kind: 'VOICE' });
    const b = await createTenant(api, { seats: 5, kind: 'VOICE' });
    const trunkOf = async (token: string) => (await api.ok(TRUNK, { i: { name: 'T', host: '203.0.113.5', allowedSources: ['203.0.113.5'] } }, token)).createSipTrunk.id;
    const [ta, tb] = [await trunkOf(a.adminToken), await trunkOf(b.adminToken)];
    const campaign = (await api.ok('mutation { createCampaign(input: { name: "Sales", type: VOICE_INBOUND, timeZone: "UTC", recordCalls: true, noAgentAction: UNAVAILABLE, ringSeconds: 30 }) { id recordCalls noAgentAction ringSeconds } }', {}, a.adminToken)).createCampaign;
    assert.deepEqual([campaign.recordCalls, campaign.noAgentAction, campaign.ringSeconds], [true, 'UNAVAILABLE', 30]);
    const add = 'mutation($i: DidInput!) { addDid(input: $i) { id number trunk { id } campaign { name } } }';
    const did = (await api.ok(add, { i: { number: '+33 1 23 45 67 89', trunkId: ta, campaignId: campaign.id } }, a.adminToken)).addDid;
    assert.deepEqual([did.number, did.trunk.id, did.campaign.name], ['+33123456789', ta, 'Sales']);
    const taken = await api.gql(add, { i: { number: '0033123456789', trunkId: tb } }, b.adminToken);
    assert.equal(codeOf(taken), 'CONFLICT');
    assert.ok(!JSON.stringify(taken).includes(a.slug) && !JSON.stringify(taken).includes(a.id), 'the refusal names nobody');
    assert.equal(codeOf(await api.gql(add, { i: { number: 'hello', trunkId: tb } }, b.adminToken)), 'BAD_USER_INPUT');
    assert.equal((await api.ok('{ dids { totalCount edges { node { number } } } }', {}, a.adminToken)).dids.totalCount, 1);
    const moved = await api.ok('mutation($id: ID!) { setDidCampaign(id: $id, campaignId: null) { campaign { id } } }', { id: did.id }, a.adminToken);
    assert.equal(moved.setDidCampaign.campaign, null);
    assert.equal((await api.ok('mutation($id: ID!) { deleteSipTrunk(id: $id) }', { id: ta }, a.adminToken)).deleteSipTrunk, ta);
    assert.equal((await api.ok('{ dids { totalCount } }', {}, a.adminToken)).dids.totalCount, 0, 'its numbers went with it');
  });

  it('trusts nothing Kamailio sends without the shared secret', async () => {
    for (const kind of ['route', 'call-event']) {
      assert.equal((await postOffContract(api, kind, invite({}), null)).status, 401, `${kind} without the secret`);
      assert.equal((await postOffContract(api, kind, invite({}), 'wrong-secret')).status, 401, `${kind} with a wrong secret`);
    }
    assert.deepEqual((await postOffContract(api, 'route', { callId: 'x' })).body, { action: 'reject', code: 400, reason: 'Bad Request' });
    assert.deepEqual((await postOffContract(api, 'call-event', { callId: 'x', event: 'answered' })).body, { ok: false, error: 'BAD_REQUEST' });
  });

  it('matches source addresses against addresses and ranges of both families', () => {
    const list = ['198.51.100.0/24', '203.0.113.5', '2001:db8::/32'].map((s) => parseSource(s)!);
    assert.ok(sourceAllowed(list, '198.51.100.200'));
    assert.ok(sourceAllowed(list, '203.0.113.5'));
    assert.ok(sourceAllowed(list, '2001:db8:1::5'));
    assert.ok(!sourceAllowed(list, '203.0.113.6'));
    assert.ok(!sourceAllowed(list, '198.51.101.1'));
    assert.ok(!sourceAllowed(list, 'garbage'));
    assert.equal(parseSource('1.2.3.4/8/1'), null);
  });
});
