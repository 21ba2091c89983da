import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi, type TestApi } from '../../testing/harness.js';
import { createTenant, createUsers, signIn, type TenantFixture } from '../../testing/fixtures.js';

/** A key's rights are its scopes intersected with its creator's rights now, on every request. */
describe("API keys follow their creator's current rights", () => {
  let api: TestApi;
  let t: TenantFixture;
  before(async () => {
    api = await startTestApi();
    t = await createTenant(api);
  });
  after(() => api.stop());

  /** An administrator (not the tenant's first one) and a key they create. */
  async function creatorWithKey(scopes: string[]) {
    const [creator] = await createUsers(api, t.adminToken, 'ADMINISTRATOR', 1, 'creator');
    const token = await signIn(api, creator.email, creator.password, t.slug);
    const key = (await api.ok('mutation($s: [Permission!]!) { createApiKey(input: { name: "k", scopes: $s }) { secret } }', { s: scopes }, token)).createApiKey.secret;
    return { creator, token, key };
  }
  const permissionsOf = async (key: string) => (await api.ok('{ viewer { permissions } }', {}, key)).viewer.permissions;
  const update = (id: string, input: Record<string, unknown>) =>
    api.ok('mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }', { id, i: input }, t.adminToken);

  it('refuses the key while its creator is disabled, and again accepts it when they are enabled', async () => {
    const { creator, key } = await creatorWithKey(['TENANT_READ', 'USERS_READ', 'USERS_MANAGE']);
    assert.equal((await api.ok('{ users { totalCount } }', {}, key)).users.totalCount, 2);
    await update(creator.id, { status: 'DISABLED' });
    assert.equal(codeOf(await api.gql('{ users { totalCount } }', {}, key)), 'UNAUTHENTICATED');
    assert.equal(codeOf(await api.gql('mutation { createUser(input: { email: "x@example.com", name: "X", role: AGENT }) { user { id } } }', {}, key)), 'UNAUTHENTICATED');
    await update(creator.id, { status: 'ACTIVE' });
    assert.equal((await api.ok('{ users { totalCount } }', {}, key)).users.totalCount, 2);
  });

  it('takes away what a demoted creator lost', async () => {
    const { creator, key } = await creatorWithKey(['TENANT_READ', 'USERS_READ', 'USERS_MANAGE', 'CONTACTS_READ']);
    await update(creator.id, { role: 'AGENT' });
    assert.deepEqual(await permissionsOf(key), ['CONTACTS_READ', 'TENANT_READ']);
    assert.equal(codeOf(await api.gql('{ users { totalCount } }', {}, key)), 'FORBIDDEN');
    const create = await api.gql('mutation { createUser(input: { email: "demoted@example.com", name: "X", role: ADMINISTRATOR }) { user { id } } }', {}, key);
    assert.equal(codeOf(create), 'FORBIDDEN');
  });

  it("narrows with the creator's security groups", async () => {
    const { creator, key } = await creatorWithKey(['TENANT_READ', 'USERS_READ', 'USERS_MANAGE']);
    const group = (await api.ok('mutation { createSecurityGroup(input: { name: "Readers", permissions: [USERS_READ] }) { id } }', {}, t.adminToken)).createSecurityGroup.id;
    await api.ok('mutation($u: ID!, $g: [ID!]!) { setUserSecurityGroups(userId: $u, securityGroupIds: $g) { id } }', { u: creator.id, g: [group] }, t.adminToken);
    assert.deepEqual(await permissionsOf(key), ['TENANT_READ', 'USERS_READ']);
    const create = await api.gql('mutation { createUser(input: { email: "narrowed@example.com", name: "X", role: AGENT }) { user { id } } }', {}, key);
    assert.equal(codeOf(create), 'FORBIDDEN');
    await api.ok('mutation($u: ID!) { setUserSecurityGroups(userId: $u, securityGroupIds: []) { id } }', { u: creator.id }, t.adminToken);
    assert.deepEqual(await permissionsOf(key), ['TENANT_READ', 'USERS_MANAGE', 'USERS_READ']);
  });

  it('refuses the key once its creator is deleted, and a key made by a key answers to the same person', async () => {
    const { creator, key } = await creatorWithKey(['TENANT_READ', 'API_KEYS_MANAGE']);
    const child = (await api.ok('mutation { createApiKey(input: { name: "child", scopes: [TENANT_READ] }) { secret } }', {}, key)).createApiKey.secret;
    await update(creator.id, { status: 'DISABLED' });
    assert.equal(codeOf(await api.gql('{ tenant { id } }', {}, child)), 'UNAUTHENTICATED');
    await update(creator.id, { status: 'ACTIVE' });
    await api.ok('{ tenant { id } }', {}, child);
    await api.ok('mutation($id: ID!) { deleteUser(id: $id) }', { id: creator.id }, t.adminToken);
    assert.equal(codeOf(await api.gql('{ tenant { id } }', {}, key)), 'UNAUTHENTICATED');
    assert.equal(codeOf(await api.gql('{ tenant { id } }', {}, child)), 'UNAUTHENTICATED');
  });
});
