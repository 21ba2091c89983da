import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi, type TestApi } from '../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../testing/fixtures.js';

const CREATE = `mutation($input: CreateTenantInput!) {
  createTenant(input: $input) { tenant { id slug deployment timeZone language status licencePolicyKey } administrator { email role } initialPassword }
}`;

describe('tenants', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('are created by the platform operator with a first administrator', async () => {
    const r = await api.ok(CREATE, {
      input: { name: 'Acme', slug: 'acme', deployment: 'ON_PREMISES', timeZone: 'Europe/Paris', language: 'fr', administrator: { email: 'Boss@Acme.example', name: 'Boss' } },
    }, api.operatorToken);
    assert.deepEqual(r.createTenant.tenant, {
      id: r.createTenant.tenant.id, slug: 'acme', deployment: 'ON_PREMISES', timeZone: 'Europe/Paris', language: 'fr', status: 'ACTIVE', licencePolicyKey: 'ON_PREMISES',
    });
    assert.deepEqual(r.createTenant.administrator, { email: 'boss@acme.example', role: 'ADMINISTRATOR' });
    await signIn(api, 'boss@acme.example', r.createTenant.initialPassword, 'acme');
  });

  it('validate their input and refuse a taken slug, writing nothing', async () => {
    const base = { name: 'X', slug: 'valid-slug', administrator: { email: 'a@x.example', name: 'A', password: 'long-enough-pw' } };
    const badSlug = await api.gql(CREATE, { input: { ...base, slug: 'Not A Slug' } }, api.operatorToken);
    assert.equal(codeOf(badSlug), 'BAD_USER_INPUT');
    const badZone = await api.gql(CREATE, { input: { ...base, timeZone: 'Mars/Olympus' } }, api.operatorToken);
    assert.equal(codeOf(badZone), 'BAD_USER_INPUT');
    const badAdmin = await api.gql(CREATE, { input: { ...base, administrator: { ...base.administrator, email: 'not-an-email' } } }, api.operatorToken);
    assert.equal(codeOf(badAdmin), 'BAD_USER_INPUT');
    const badPolicy = await api.gql(CREATE, { input: { ...base, licencePolicyKey: 'NOPE' } }, api.operatorToken);
    assert.equal(codeOf(badPolicy), 'BAD_USER_INPUT');
    await api.ok(CREATE, { input: base }, api.operatorToken);
    const taken = await api.gql(CREATE, { input: { ...base, administrator: { ...base.administrator, email: 'b@x.example' } } }, api.operatorToken);
    assert.equal(codeOf(taken), 'CONFLICT');
    const list = await api.ok('{ tenants(first: 100) { totalCount edges { node { slug } } } }', {}, api.operatorToken);
    assert.equal(list.tenants.edges.filter((e: { node: { slug: string } }) => e.node.slug === 'valid-slug').length, 1);
    const { count } = (await api.running.app.orm.em.getConnection().execute("select count(*)::int as count from app_user where email = 'b@x.example'"))[0];
    assert.equal(count, 0);
  });

  it('are listed page by page for the operator only', async () => {
    for (let i = 0; i < 3; i++) await createTenant(api);
    const page1 = await api.ok('{ tenants(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }', {}, api.operatorToken);
    assert.equal(page1.tenants.edges.length, 2);
    assert.equal(page1.tenants.pageInfo.hasNextPage, true);
    const page2 = await api.ok('query($a: String) { tenants(first: 100, after: $a) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } }', {
      a: page1.tenants.pageInfo.endCursor,
    }, api.operatorToken);
    assert.equal(page2.tenants.edges.length, page1.tenants.totalCount - 2);
    assert.equal(page2.tenants.pageInfo.hasNextPage, false);
    const ids = [...page1.tenants.edges, ...page2.tenants.edges].map((e: { node: { id: string } }) => e.node.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('can be updated by their administrator', async () => {
    const t = await createTenant(api);
    const r = await api.ok('mutation { updateTenant(input: { name: "Renamed", language: es }) { name language timeZone } }', {}, t.adminToken);
    assert.deepEqual(r.updateTenant, { name: 'Renamed', language: 'es', timeZone: 'America/Montreal' });
  });

  it('when suspended, refuse their users and keys and free their seats; reactivated, work again', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const agentToken = await signIn(api, agent.email, agent.password, t.slug);
    const key = (await api.ok('mutation { createApiKey(input: { name: "k", scopes: [TENANT_READ] }) { secret } }', {}, t.adminToken)).createApiKey.secret;
    assert.equal(codeOf(await api.gql('mutation($id: ID!) { suspendTenant(id: $id) { id } }', { id: t.id }, t.adminToken)), 'FORBIDDEN');
    const s = await api.ok('mutation($id: ID!) { suspendTenant(id: $id) { status suspendedAt } }', { id: t.id }, api.operatorToken);
    assert.equal(s.suspendTenant.status, 'SUSPENDED');
    assert.ok(s.suspendTenant.suspendedAt);
    assert.equal(codeOf(await api.gql('{ tenant { id } }', {}, agentToken)), 'UNAUTHENTICATED');
    assert.equal(codeOf(await api.gql('{ tenant { id } }', {}, key)), 'TENANT_SUSPENDED');
    const again = await api.gql('mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', {
      i: { email: agent.email, password: agent.password, tenant: t.slug },
    });
    assert.equal(codeOf(again), 'TENANT_SUSPENDED');
    await api.ok('mutation($id: ID!) { reactivateTenant(id: $id) { status } }', { id: t.id }, api.operatorToken);
    assert.equal((await api.ok('{ tenant { status } }', {}, key)).tenant.status, 'ACTIVE');
    assert.equal(codeOf(await api.gql('{ tenant { id } }', {}, t.adminToken)), 'UNAUTHENTICATED', 'suspension ended every session');
    const admin = await signIn(api, `admin@${t.slug}.example`, 'admin-password-1', t.slug);
    assert.equal((await api.ok('{ licence { seatsInUse } }', {}, admin)).licence.seatsInUse, 0, 'suspension freed the seat');
    await signIn(api, agent.email, agent.password, t.slug);
    assert.equal((await api.ok('{ licence { seatsInUse } }', {}, admin)).licence.seatsInUse, 1);
  });

  it('answer NOT_FOUND for an unknown tenant id', async () => {
    const r = await api.gql('mutation { suspendTenant(id: "00000000-0000-4000-8000-000000000000") { id } }', {}, api.operatorToken);
    assert.equal(codeOf(r), 'NOT_FOUND');
  });
});
