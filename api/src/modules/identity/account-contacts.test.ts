import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi, type TestApi } from '../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../testing/fixtures.js';

describe('account contacts', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('are kept by type, validated, and managed by administrators only', async () => {
    const t = await createTenant(api);
    const add = 'mutation($i: AccountContactInput!) { createAccountContact(input: $i) { id type email } }';
    const tech = (await api.ok(add, { i: { type: 'TECHNICAL', name: 'Noc', email: 'NOC@Example.com', phone: '+15145550100' } }, t.adminToken)).createAccountContact;
    assert.equal(tech.email, 'noc@example.com');
    await api.ok(add, { i: { type: 'BILLING', name: 'Accounts', email: 'ap@example.com' } }, t.adminToken);
    assert.equal(codeOf(await api.gql(add, { i: { type: 'BILLING', name: 'X', email: 'not-an-email' } }, t.adminToken)), 'BAD_USER_INPUT');
    const technical = await api.ok('{ accountContacts(type: TECHNICAL) { name } }', {}, t.adminToken);
    assert.deepEqual(technical.accountContacts, [{ name: 'Noc' }]);
    const [sup] = await createUsers(api, t.adminToken, 'SUPERVISOR', 1);
    const supToken = await signIn(api, sup.email, sup.password, t.slug);
    assert.equal((await api.ok('{ accountContacts { id } }', {}, supToken)).accountContacts.length, 2);
    assert.equal(codeOf(await api.gql(add, { i: { type: 'BILLING', name: 'X', email: 'x@example.com' } }, supToken)), 'FORBIDDEN');
    const upd = await api.ok('mutation($id: ID!) { updateAccountContact(id: $id, input: { type: ADMINISTRATIVE, name: "Ops", email: "ops@example.com" }) { type name phone } }', { id: tech.id }, t.adminToken);
    assert.deepEqual(upd.updateAccountContact, { type: 'ADMINISTRATIVE', name: 'Ops', phone: null });
    await api.ok('mutation($id: ID!) { deleteAccountContact(id: $id) }', { id: tech.id }, t.adminToken);
    assert.equal((await api.ok('{ accountContacts { id } }', {}, t.adminToken)).accountContacts.length, 1);
  });
});
