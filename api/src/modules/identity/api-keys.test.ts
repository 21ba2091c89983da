import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { codeOf, startTestApi, type TestApi } from '../../testing/harness.js';
import { createTenant } from '../../testing/fixtures.js';

const CREATE = 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id name prefix scopes lastUsedAt revokedAt } } }';

describe('API keys', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('shows the secret once, stores it hashed, and records when it was last used', async () => {
    const t = await createTenant(api);
    const created = (await api.ok(CREATE, { i: { name: 'CRM', scopes: ['USERS_READ', 'TENANT_READ'] } }, t.adminToken)).createApiKey;
    assert.match(created.secret, /^sbk_[\w-]{43}$/);
    assert.ok(created.secret.startsWith(created.apiKey.prefix));
    assert.equal(created.apiKey.lastUsedAt, null);
    // stored hashed: the row holds SHA-256 of the secret, and the secret (beyond its shown prefix) nowhere
    const [stored] = await api.running.app.orm.em.getConnection().execute('select k.secret_hash, row_to_json(k)::text as row from api_key k where id = ?', [created.apiKey.id]);
    assert.equal(stored.secret_hash, createHash('sha256').update(created.secret).digest('hex'));
    const hidden = created.secret.slice(created.apiKey.prefix.length);
    assert.ok(hidden.length >= 32, `the prefix shows too much: ${created.apiKey.prefix}`);
    assert.ok(!stored.row.includes(hidden), `the secret is in the row: ${stored.row}`);

    const v = await api.ok('{ viewer { kind permissions tenant { slug } } }', {}, created.secret);
    assert.deepEqual(v.viewer, { kind: 'API_KEY', permissions: ['TENANT_READ', 'USERS_READ'], tenant: { slug: t.slug } });
    const list = await api.ok('{ apiKeys { totalCount edges { node { name prefix lastUsedAt } } } }', {}, t.adminToken);
    assert.equal(list.apiKeys.totalCount, 1);
    assert.ok(list.apiKeys.edges[0].node.lastUsedAt);
    assert.ok(!JSON.stringify(list).includes(created.secret));
  });

  it('limits a key to its scopes', async () => {
    const t = await createTenant(api);
    const { secret } = (await api.ok(CREATE, { i: { name: 'read', scopes: ['USERS_READ'] } }, t.adminToken)).createApiKey;
    assert.equal((await api.ok('{ users { totalCount } }', {}, secret)).users.totalCount, 1);
    const write = await api.gql('mutation { createUser(input: { email: "n@example.com", name: "N", role: AGENT }) { user { id } } }', {}, secret);
    assert.equal(codeOf(write), 'FORBIDDEN');
    assert.equal(codeOf(await api.gql('mutation { signOut }', {}, secret)), 'FORBIDDEN');
    assert.equal(codeOf(await api.gql(CREATE, { i: { name: 'none', scopes: [] } }, t.adminToken)), 'BAD_USER_INPUT');
    const past = await api.gql(CREATE, { i: { name: 'old', scopes: ['USERS_READ'], expiresAt: '2001-01-01T00:00:00Z' } }, t.adminToken);
    assert.equal(codeOf(past), 'BAD_USER_INPUT');
  });

  it('stops working as soon as it is revoked', async () => {
    const t = await createTenant(api);
    const { secret, apiKey } = (await api.ok(CREATE, { i: { name: 'temp', scopes: ['TENANT_READ'] } }, t.adminToken)).createApiKey;
    await api.ok('{ tenant { id } }', {}, secret);
    const revoked = await api.ok('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id }, t.adminToken);
    assert.ok(revoked.revokeApiKey.revokedAt);
    assert.equal(codeOf(await api.gql('{ tenant { id } }', {}, secret)), 'UNAUTHENTICATED');
  });
});
