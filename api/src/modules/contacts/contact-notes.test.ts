import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { codeOf, startTestApi, type TestApi } from '../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../testing/fixtures.js';

const CREATE = 'mutation($i: CreateContactInput!) { createContact(input: $i) { id } }';
const ADD = 'mutation($c: ID!, $b: String!) { addContactNote(contactId: $c, body: $b) { id body createdAt author { id email } apiKeyName } }';
const NOTES = `query($id: ID!, $first: Int!, $after: String) { contact(id: $id) {
  notes(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id body author { id } apiKeyName } } } } }`;

describe('contact notes', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  const newContact = async (token: string, name = 'Ana Lima') => (await api.ok(CREATE, { i: { name } }, token)).createContact.id as string;
  const count = async () => Number((await api.running.app.orm.em.getConnection().execute('select count(*)::int as n from contact_note'))[0].n);

  it('are signed by the agent or the integration that wrote them, and listed oldest first', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const agentToken = await signIn(api, agent.email, agent.password, t.slug);
    const key = (await api.ok('mutation { createApiKey(input: { name: "crm-sync", scopes: [CONTACTS_READ, CONTACTS_MANAGE] }) { secret } }', {}, t.adminToken)).createApiKey.secret;
    const contact = await newContact(agentToken);

    const byAgent = (await api.ok(ADD, { c: contact, b: '  Prefers e-mail.  ' }, agentToken)).addContactNote;
    assert.deepEqual({ body: byAgent.body, author: byAgent.author, apiKeyName: byAgent.apiKeyName }, {
      body: 'Prefers e-mail.', author: { id: agent.id, email: agent.email }, apiKeyName: null,
    });
    const byKey = (await api.ok(ADD, { c: contact, b: 'Synced from the CRM' }, key)).addContactNote;
    assert.deepEqual({ author: byKey.author, apiKeyName: byKey.apiKeyName }, { author: null, apiKeyName: 'crm-sync' });
    for (let i = 0; i < 3; i++) await api.ok(ADD, { c: contact, b: `note ${i}` }, t.adminToken);

    const first = (await api.ok(NOTES, { id: contact, first: 3 }, key)).contact.notes;
    assert.equal(first.totalCount, 5);
    assert.equal(first.pageInfo.hasNextPage, true);
    assert.deepEqual(first.edges.map((e: { node: { body: string } }) => e.node.body), ['Prefers e-mail.', 'Synced from the CRM', 'note 0']);
    const rest = (await api.ok(NOTES, { id: contact, first: 3, after: first.pageInfo.endCursor }, key)).contact.notes;
    assert.deepEqual(rest.edges.map((e: { node: { body: string } }) => e.node.body), ['note 1', 'note 2']);
    assert.equal(rest.pageInfo.hasNextPage, false);
  });

  it('refuses empty and oversized notes, unknown contacts and callers without the right, writing nothing', async () => {
    const t = await createTenant(api);
    const contact = await newContact(t.adminToken);
    const before = await count();
    const empty = await api.gql(ADD, { c: contact, b: '   ' }, t.adminToken);
    assert.equal(codeOf(empty), 'BAD_USER_INPUT');
    assert.equal(empty.errors![0].extensions!.field, 'body');
    assert.equal(codeOf(await api.gql(ADD, { c: contact, b: 'x'.repeat(10_001) }, t.adminToken)), 'BAD_USER_INPUT');
    assert.equal(codeOf(await api.gql(ADD, { c: randomUUID(), b: 'lost' }, t.adminToken)), 'NOT_FOUND');
    assert.equal(codeOf(await api.gql(ADD, { c: 'not-an-id', b: 'lost' }, t.adminToken)), 'NOT_FOUND');
    const readOnly = (await api.ok('mutation { createApiKey(input: { name: "ro", scopes: [CONTACTS_READ] }) { secret } }', {}, t.adminToken)).createApiKey.secret;
    assert.equal(codeOf(await api.gql(ADD, { c: contact, b: 'no right' }, readOnly)), 'FORBIDDEN');
    assert.equal(await count(), before, 'nothing was written');
  });

  it("never reach another tenant's contact", async () => {
    const a = await createTenant(api);
    const b = await createTenant(api);
    const contact = await newContact(a.adminToken);
    await api.ok(ADD, { c: contact, b: 'private to A' }, a.adminToken);
    assert.equal(codeOf(await api.gql(ADD, { c: contact, b: 'from B' }, b.adminToken)), 'NOT_FOUND');
    assert.equal(codeOf(await api.gql(NOTES, { id: contact, first: 10 }, b.adminToken)), 'NOT_FOUND');
    assert.equal((await api.ok(NOTES, { id: contact, first: 10 }, a.adminToken)).contact.notes.totalCount, 1);
  });

  it('follow their contact through a merge', async () => {
    const t = await createTenant(api);
    const target = await newContact(t.adminToken, 'Target');
    const source = await newContact(t.adminToken, 'Source');
    await api.ok(ADD, { c: target, b: 'on the target' }, t.adminToken);
    await api.ok(ADD, { c: source, b: 'on the duplicate' }, t.adminToken);
    await api.ok('mutation($t: ID!, $s: ID!) { mergeContacts(targetId: $t, sourceId: $s) { id } }', { t: target, s: source }, t.adminToken);
    const notes = (await api.ok(NOTES, { id: target, first: 10 }, t.adminToken)).contact.notes;
    assert.deepEqual(notes.edges.map((e: { node: { body: string } }) => e.node.body).sort(), ['on the duplicate', 'on the target']);
  });
});
