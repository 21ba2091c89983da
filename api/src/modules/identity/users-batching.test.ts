import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../../testing/harness.js';
import { createTenant, createUsers } from '../../testing/fixtures.js';

const LIST = 'query($n: Int!) { users(first: $n) { totalCount edges { node { id email securityGroups { id name } } } } }';

describe('listing users with their security groups', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('runs a bounded number of SQL statements, whatever the page size', async () => {
    const t = await createTenant(api);
    const groups = [];
    for (const name of ['Blue', 'Green', 'Red']) {
      groups.push((await api.ok(`mutation { createSecurityGroup(input: { name: "${name}", permissions: [USERS_READ] }) { id } }`, {}, t.adminToken)).createSecurityGroup.id);
    }
    const users = await createUsers(api, t.adminToken, 'SUPERVISOR', 49);
    for (const [i, u] of users.entries()) {
      await api.ok('mutation($u: ID!, $g: [ID!]!) { setUserSecurityGroups(userId: $u, securityGroupIds: $g) { id } }', {
        u: u.id, g: [groups[i % 3], groups[(i + 1) % 3]],
      }, t.adminToken);
    }
    const { secret } = (await api.ok('mutation { createApiKey(input: { name: "k", scopes: [USERS_READ] }) { secret } }', {}, t.adminToken)).createApiKey;
    await api.ok(LIST, { n: 1 }, secret); // the key's first use writes its last-used time once

    const statements = async (n: number) => {
      api.queries.reset();
      const r = await api.ok(LIST, { n }, secret);
      assert.equal(r.users.edges.length, n);
      return api.queries.count;
    };
    const for50 = await statements(50);
    const for5 = await statements(5);
    const all = (await api.ok(LIST, { n: 50 }, secret)).users;
    assert.equal(all.totalCount, 50);
    assert.equal(all.edges.filter((e: { node: { securityGroups: unknown[] } }) => e.node.securityGroups.length === 2).length, 49);
    // authenticate + page + count + one batched load of every user's groups
    assert.ok(for50 <= 4, `50 users took ${for50} statements`);
    assert.equal(for50, for5, 'the number of statements must not grow with the page');
  });
});
