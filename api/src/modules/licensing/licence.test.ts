import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi, type TestApi, wsReady } from '../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../testing/fixtures.js';
import { until } from '../../testing/smtp-peer.js';
import { LICENCE_CHANGED } from './licence.events.js';

const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }';
const LICENCE = '{ licence { kind seats seatsInUse channels termMonths policy { key } addOns { pbxUsers chatbotLicences aiConnection } } }';
const SET = 'mutation($id: ID!, $terms: LicenceTermsInput!) { setTenantLicence(tenantId: $id, terms: $terms) { kind seats channels } }';

describe('licences', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('exposes kind, seats, channels = 5 x seats and the policy', async () => {
    const t = await createTenant(api, { seats: 7, kind: 'VOICE' });
    const { licence } = await api.ok(LICENCE, {}, t.adminToken);
    assert.deepEqual(licence, {
      kind: 'VOICE', seats: 7, seatsInUse: 0, channels: 35, termMonths: 1, policy: { key: 'CLOUD' },
      addOns: { pbxUsers: 0, chatbotLicences: 0, aiConnection: false },
    });
  });

  it('applies the policy of the deployment and reports every broken rule', async () => {
    const cloud = await createTenant(api, { seats: 5 });
    const onPrem = await createTenant(api, { deployment: 'ON_PREMISES' });
    const bad = await api.gql(SET, { id: onPrem.id, terms: { kind: 'VOICE', seats: 12, pbxUsers: 2, chatbotLicences: 1 } }, api.operatorToken);
    assert.equal(codeOf(bad), 'LICENCE_POLICY_VIOLATION');
    assert.deepEqual(
      (bad.errors![0].extensions!.violations as { rule: string }[]).map((v) => v.rule),
      ['SEATS_STEP', 'PBX_USERS_CLOUD_ONLY', 'OMNI_REQUIRED'],
    );
    assert.equal((await api.ok(SET, { id: onPrem.id, terms: { kind: 'VOICE', seats: 15 } }, api.operatorToken)).setTenantLicence.channels, 75);
    // upgrade VOICE -> OMNI is fine, the way back is not
    await api.ok(SET, { id: onPrem.id, terms: { kind: 'OMNI', seats: 15 } }, api.operatorToken);
    const down = await api.gql(SET, { id: onPrem.id, terms: { kind: 'VOICE', seats: 15 } }, api.operatorToken);
    assert.equal(codeOf(down), 'LICENCE_POLICY_VIOLATION');
    assert.equal((await api.ok(LICENCE, {}, onPrem.adminToken)).licence.kind, 'OMNI', 'the refused change wrote nothing');
    const pbx = await api.ok(SET, { id: cloud.id, terms: { kind: 'OMNI', seats: 6, pbxUsers: 3 } }, api.operatorToken);
    assert.equal(pbx.setTenantLicence.seats, 6);
    const check = await api.ok(
      '{ licenceCheck(terms: { kind: VOICE, seats: 4 }) { valid channels violations { rule message } } }',
      {},
      cloud.adminToken,
    );
    assert.equal(check.licenceCheck.valid, false);
    assert.deepEqual(check.licenceCheck.violations.map((v: { rule: string }) => v.rule), ['SEATS_MINIMUM', 'KIND_DOWNGRADE']);
  });

  it('only lets the platform operator set licences', async () => {
    const t = await createTenant(api, { seats: 5 });
    const r = await api.gql(SET, { id: t.id, terms: { kind: 'OMNI', seats: 50 } }, t.adminToken);
    assert.equal(codeOf(r), 'FORBIDDEN');
    assert.equal((await api.ok(LICENCE, {}, t.adminToken)).licence.seats, 5);
  });

  it('refuses agent sign-ins beyond the seats and accepts them again when a seat frees up', async () => {
    const t = await createTenant(api, { seats: 5 });
    const agents = await createUsers(api, t.adminToken, 'AGENT', 6);
    const tokens = [];
    for (const a of agents.slice(0, 5)) tokens.push(await signIn(api, a.email, a.password, t.slug));
    // an agent already signed in may open a second session without taking another seat
    tokens.push(await signIn(api, agents[0].email, agents[0].password, t.slug));
    const refused = await api.gql(SIGN_IN, { input: { email: agents[5].email, password: agents[5].password, tenant: t.slug } });
    assert.equal(codeOf(refused), 'LICENCE_SEATS_EXHAUSTED');
    assert.equal((await api.ok(LICENCE, {}, t.adminToken)).licence.seatsInUse, 5);
    // supervisors and administrators do not take agent seats
    const [sup] = await createUsers(api, t.adminToken, 'SUPERVISOR', 1);
    await signIn(api, sup.email, sup.password, t.slug);

    await api.ok('mutation { signOut }', {}, tokens[1]);
    await signIn(api, agents[5].email, agents[5].password, t.slug);
    const again = await api.gql(SIGN_IN, { input: { email: agents[1].email, password: agents[1].password, tenant: t.slug } });
    assert.equal(codeOf(again), 'LICENCE_SEATS_EXHAUSTED');
    // a supervisor can free a seat by signing an agent out
    await api.ok('mutation($id: ID!) { signOutUser(id: $id) { id } }', { id: agents[2].id }, t.adminToken);
    await signIn(api, agents[1].email, agents[1].password, t.slug);
    // growing the licence frees seats at once
    await api.ok(SET, { id: t.id, terms: { kind: 'OMNI', seats: 6 } }, api.operatorToken);
    await signIn(api, agents[2].email, agents[2].password, t.slug);
  });

  it('never exceeds the seats when many agents sign in at the same moment', async () => {
    const t = await createTenant(api, { seats: 5 });
    const agents = await createUsers(api, t.adminToken, 'AGENT', 12);
    const results = await Promise.all(
      agents.map((a) => api.gql(SIGN_IN, { input: { email: a.email, password: a.password, tenant: t.slug } })),
    );
    const codes = results.map((r) => codeOf(r) ?? 'OK');
    assert.equal(codes.filter((c) => c === 'OK').length, 5, codes.join(','));
    assert.equal(codes.filter((c) => c === 'LICENCE_SEATS_EXHAUSTED').length, 7, codes.join(','));
    assert.equal((await api.ok(LICENCE, {}, t.adminToken)).licence.seatsInUse, 5);
  });

  it('refuses agents of a tenant without a licence', async () => {
    const t = await createTenant(api);
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const r = await api.gql(SIGN_IN, { input: { email: agent.email, password: agent.password, tenant: t.slug } });
    assert.equal(codeOf(r), 'LICENCE_REQUIRED');
  });

  it('tells subscribers of the tenant, and only them, when the licence changes', async () => {
    const a = await createTenant(api, { seats: 5 });
    const b = await createTenant(api, { seats: 5 });
    const received: { tenant: string; seats: number }[] = [];
    const subscribe = (token: string, tenant: string) =>
      new Promise<void>((resolve, reject) => {
        const client = api.ws(token);
        client.subscribe<{ licenceChanged: { seats: number } }>(
          { query: 'subscription { licenceChanged { seats kind channels } }' },
          {
            next: (msg) => {
              if (msg.errors) reject(new Error(JSON.stringify(msg.errors)));
              else received.push({ tenant, seats: msg.data!.licenceChanged.seats });
            },
            error: reject,
            complete: () => {},
          },
        );
        void wsReady(client).then(resolve);
      });
    await subscribe(a.adminToken, 'a');
    await subscribe(b.adminToken, 'b');
    await api.subscribed(LICENCE_CHANGED, b.id); // b listens before a's licence changes
    await api.ok(SET, { id: a.id, terms: { kind: 'OMNI', seats: 9 } }, api.operatorToken);
    await until(() => received.length > 0);
    // positive control: b was listening, and the next thing it hears is its own change
    await api.ok(SET, { id: b.id, terms: { kind: 'OMNI', seats: 7 } }, api.operatorToken);
    await until(() => received.some((r) => r.tenant === 'b'));
    assert.deepEqual(received, [{ tenant: 'a', seats: 9 }, { tenant: 'b', seats: 7 }]);
  });

  it('refuses the licenceChanged subscription to callers without the right', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const agentToken = await signIn(api, agent.email, agent.password, t.slug);
    const errors = await new Promise<unknown>((resolve) => {
      api.ws(agentToken).subscribe(
        { query: 'subscription { licenceChanged { seats } }' },
        { next: (m) => resolve(m.errors), error: resolve, complete: () => resolve('completed') },
      );
    });
    assert.equal((errors as { extensions: { code: string } }[])[0].extensions.code, 'FORBIDDEN');
  });
});
