import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi, type TestApi } from '../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../testing/fixtures.js';

const CREATE = 'mutation($i: CreateContactInput!) { createContact(input: $i) { id name identifiers { kind value } } }';
const BY = 'query($k: IdentifierKind!, $v: String!) { contactByIdentifier(kind: $k, value: $v) { id name } }';

describe('contacts', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('are found from any identifier, in any spelling', async () => {
    const t = await createTenant(api);
    const c = (await api.ok(CREATE, { i: { name: 'Ana Lima', identifiers: [
      { kind: 'PHONE', value: '+1 (514) 555-0100' }, { kind: 'EMAIL', value: 'Ana@Example.com' }, { kind: 'WHATSAPP', value: '+1 514 555 0100' },
    ] } }, t.adminToken)).createContact;
    assert.deepEqual(c.identifiers, [
      { kind: 'EMAIL', value: 'ana@example.com' }, { kind: 'PHONE', value: '+15145550100' }, { kind: 'WHATSAPP', value: '+15145550100' },
    ]);
    for (const [k, v] of [['PHONE', '+1 514 555 0100'], ['EMAIL', 'ANA@example.COM'], ['WHATSAPP', '0015145550100']]) {
      assert.equal((await api.ok(BY, { k, v }, t.adminToken)).contactByIdentifier.id, c.id, `${k} ${v}`);
    }
    assert.equal((await api.ok(BY, { k: 'PHONE', v: '+1 514 555 0199' }, t.adminToken)).contactByIdentifier, null);
    const search = await api.ok('query($s: String) { contacts(search: $s) { totalCount edges { node { id } } } }', { s: '+1-514-555-0100' }, t.adminToken);
    assert.deepEqual(search.contacts.edges.map((e: { node: { id: string } }) => e.node.id), [c.id]);
    const byName = await api.ok('query($s: String) { contacts(search: $s) { totalCount } }', { s: 'lim' }, t.adminToken);
    assert.equal(byName.contacts.totalCount, 1);
  });

  it('never gives one identifier to two contacts, and merges them', async () => {
    const t = await createTenant(api);
    const a = (await api.ok(CREATE, { i: { name: 'A', identifiers: [{ kind: 'PHONE', value: '+33 1 23 45 67 89' }] } }, t.adminToken)).createContact;
    const dup = await api.gql(CREATE, { i: { name: 'B', identifiers: [{ kind: 'PHONE', value: '+33123456789' }] } }, t.adminToken);
    assert.equal(codeOf(dup), 'CONFLICT');
    assert.equal(dup.errors![0].extensions!.contactId, a.id);
    const b = (await api.ok(CREATE, { i: { identifiers: [{ kind: 'EMAIL', value: 'b@example.com' }] } }, t.adminToken)).createContact;
    const add = await api.gql('mutation($c: ID!, $i: ContactIdentifierInput!) { addContactIdentifier(contactId: $c, identifier: $i) { id } }', {
      c: b.id, i: { kind: 'PHONE', value: '+33 123 456 789' },
    }, t.adminToken);
    assert.equal(codeOf(add), 'CONFLICT');
    const merged = await api.ok('mutation($t: ID!, $s: ID!) { mergeContacts(targetId: $t, sourceId: $s) { id name identifiers { kind value } } }', { t: a.id, s: b.id }, t.adminToken);
    assert.deepEqual(merged.mergeContacts.identifiers, [{ kind: 'EMAIL', value: 'b@example.com' }, { kind: 'PHONE', value: '+33123456789' }]);
    assert.equal(codeOf(await api.gql('query($id: ID!) { contact(id: $id) { id } }', { id: b.id }, t.adminToken)), 'NOT_FOUND');
    assert.equal((await api.ok(BY, { k: 'EMAIL', v: 'b@example.com' }, t.adminToken)).contactByIdentifier.id, a.id);
    const self = await api.gql('mutation($t: ID!) { mergeContacts(targetId: $t, sourceId: $t) { id } }', { t: a.id }, t.adminToken);
    assert.equal(codeOf(self), 'BAD_USER_INPUT');
  });

  it('refuses malformed identifiers with the field that is wrong', async () => {
    const t = await createTenant(api);
    const r = await api.gql(CREATE, { i: { identifiers: [{ kind: 'EMAIL', value: 'ok@example.com' }, { kind: 'PHONE', value: 'call me' }] } }, t.adminToken);
    assert.equal(codeOf(r), 'BAD_USER_INPUT');
    assert.equal(r.errors![0].extensions!.field, 'identifiers[1].value');
    assert.equal((await api.ok('{ contacts { totalCount } }', {}, t.adminToken)).contacts.totalCount, 0, 'nothing was written');
  });

  it('are kept by agents; the blacklist only by administrators', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const token = await signIn(api, agent.email, agent.password, t.slug);
    await api.ok(CREATE, { i: { name: 'From an agent' } }, token);
    const add = 'mutation($i: BlacklistEntryInput!) { addBlacklistEntry(input: $i) { id kind match value } }';
    assert.equal(codeOf(await api.gql(add, { i: { kind: 'PHONE', value: '+1 900 555 0000' } }, token)), 'FORBIDDEN');
  });
});

describe('blacklist', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  const CHECK = 'query($k: IdentifierKind!, $v: String!) { blacklistCheck(kind: $k, value: $v) { value match reason } }';
  const ADD = 'mutation($i: BlacklistEntryInput!) { addBlacklistEntry(input: $i) { id kind match value } }';

  it('refuses exact values and prefixes, across phone and WhatsApp', async () => {
    const t = await createTenant(api);
    const exact = (await api.ok(ADD, { i: { kind: 'PHONE', value: '+1 (514) 555-0199', reason: 'abusive caller' } }, t.adminToken)).addBlacklistEntry;
    assert.deepEqual({ ...exact, id: undefined }, { id: undefined, kind: 'PHONE', match: 'EXACT', value: '+15145550199' });
    await api.ok(ADD, { i: { kind: 'PHONE', match: 'PREFIX', value: '+1 900' } }, t.adminToken);
    await api.ok(ADD, { i: { kind: 'EMAIL', match: 'PREFIX', value: 'spam' } }, t.adminToken);

    assert.deepEqual((await api.ok(CHECK, { k: 'PHONE', v: '+15145550199' }, t.adminToken)).blacklistCheck, { value: '+15145550199', match: 'EXACT', reason: 'abusive caller' });
    assert.equal((await api.ok(CHECK, { k: 'WHATSAPP', v: '+1 514 555 0199' }, t.adminToken)).blacklistCheck.value, '+15145550199');
    assert.equal((await api.ok(CHECK, { k: 'PHONE', v: '+1 900 123 4567' }, t.adminToken)).blacklistCheck.match, 'PREFIX');
    assert.equal((await api.ok(CHECK, { k: 'PHONE', v: '+1 514 555 0100' }, t.adminToken)).blacklistCheck, null);
    assert.equal((await api.ok(CHECK, { k: 'EMAIL', v: 'Spammer@x.example' }, t.adminToken)).blacklistCheck.match, 'PREFIX');
    assert.equal((await api.ok(CHECK, { k: 'EMAIL', v: 'ana@example.com' }, t.adminToken)).blacklistCheck, null);
    assert.equal(codeOf(await api.gql(ADD, { i: { kind: 'PHONE', value: '+15145550199' } }, t.adminToken)), 'CONFLICT');

    await api.ok('mutation($id: ID!) { removeBlacklistEntry(id: $id) }', { id: exact.id }, t.adminToken);
    assert.equal((await api.ok(CHECK, { k: 'PHONE', v: '+15145550199' }, t.adminToken)).blacklistCheck, null);
    assert.equal((await api.ok('{ blacklist { totalCount } }', {}, t.adminToken)).blacklist.totalCount, 2);
  });

  it("is per tenant: one tenant's entries never refuse another's customers", async () => {
    const a = await createTenant(api);
    const b = await createTenant(api);
    await api.ok(ADD, { i: { kind: 'PHONE', value: '+44 20 7946 0000' } }, a.adminToken);
    assert.equal((await api.ok(CHECK, { k: 'PHONE', v: '+442079460000' }, b.adminToken)).blacklistCheck, null);
  });
});
