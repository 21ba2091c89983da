/**
 * One rule for every operation that acts on another user: the caller must hold every right the
 * target holds. Walks every mutation a tenant may call, finds each one that takes a user id (an
 * argument or input field naming a user), and calls it against a full administrator as a
 * narrowed administrator, as API keys with narrower rights, and as a supervisor: each call must
 * answer FORBIDDEN and the database must not change. A new user-targeting mutation joins this
 * suite by existing; without the guard it fails here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { GraphQLField, GraphQLSchema } from 'graphql';
import { createSchema } from '../api/src/server/schema.js';
import { Permission } from '../api/src/platform/auth/permissions.js';
import { codeOf, startTestApi, type TestApi } from '../api/src/testing/harness.js';
import { createTenant, createUsers, signIn, type TenantFixture } from '../api/src/testing/fixtures.js';
import { argsToSend, idSlotNames, operation, tenantCallable, valueFor } from '../api/src/testing/schema-walk.js';

/** An argument or input field that names a user: `userId(s)`, `agentId(s)`, or the `id` of a `...User...` mutation. */
const namesUser = (slot: string, mutation: string) => /^(user|agent|member)Ids?$/i.test(slot) || (slot === 'id' && /User(?![a-z])/.test(mutation));

/**
 * Mutations that take a user id only to hand that user work; they change nothing of the user's
 * account, rights, credentials or sessions, so the rule does not apply. Anything else is guarded.
 */
const ROUTES_WORK_TO = new Map([
  ['transferInteraction', 'offers an interaction to an agent, who still has to accept it'],
  ['setQueueMembers', 'chooses which queues offer work to an agent'],
  ['setAgentWrittenCapacity', 'sets how many written interactions an agent is offered at once'],
]);

/** What each known mutation would do to the administrator if it were let through. */
const ATTACKS: Record<string, Record<string, unknown>> = {
  updateUser: { input: { status: 'DISABLED' } },
  setUserPassword: { password: 'taken-over-password-1' },
};

const ALL = Object.values(Permission);
const CREATE_KEY = 'mutation($s: [Permission!]!) { createApiKey(input: { name: "k", scopes: $s }) { secret } }';

async function snapshot(api: TestApi): Promise<string> {
  const conn = api.running.app.orm.em.getConnection();
  const tables = await conn.execute<{ tablename: string }[]>("select tablename from pg_tables where schemaname = 'public' and tablename <> 'throttle' order by tablename");
  const dump: Record<string, unknown> = {};
  for (const { tablename } of tables) dump[tablename] = await conn.execute(`select * from "${tablename}" order by 1`);
  return JSON.stringify(dump);
}

describe('acting on another user', () => {
  let api: TestApi;
  let schema: GraphQLSchema;
  let t: TenantFixture;
  let callers: Record<string, string>;
  let narrowedAdmin: { id: string; email: string; password: string; token: string };
  let grantableGroup: string;

  before(async () => {
    api = await startTestApi();
    schema = await createSchema();
    t = await createTenant(api, { seats: 5 });
    // A "narrowed administrator": every right but BILLING_MANAGE, which the full administrator holds.
    const group = await api.ok('mutation($p: [Permission!]!) { createSecurityGroup(input: { name: "No billing", permissions: $p }) { id } }', {
      p: ALL.filter((p) => p !== Permission.BILLING_MANAGE),
    }, t.adminToken);
    const [admin] = await createUsers(api, t.adminToken, 'ADMINISTRATOR', 1, 'narrowed');
    await api.ok('mutation($u: ID!, $g: [ID!]!) { setUserSecurityGroups(userId: $u, securityGroupIds: $g) { id } }', {
      u: admin.id, g: [group.createSecurityGroup.id],
    }, t.adminToken);
    narrowedAdmin = { ...admin, token: await signIn(api, admin.email, admin.password, t.slug) };
    grantableGroup = (await api.ok('mutation { createSecurityGroup(input: { name: "Readers", permissions: [USERS_READ] }) { id } }', {}, t.adminToken)).createSecurityGroup.id;
    const [supervisor] = await createUsers(api, t.adminToken, 'SUPERVISOR', 1);
    callers = {
      'narrowed administrator': narrowedAdmin.token,
      'API key without BILLING_MANAGE': (await api.ok(CREATE_KEY, { s: ALL.filter((p) => p !== Permission.BILLING_MANAGE) }, t.adminToken)).createApiKey.secret,
      'API key [USERS_READ, USERS_MANAGE]': (await api.ok(CREATE_KEY, { s: ['USERS_READ', 'USERS_MANAGE'] }, t.adminToken)).createApiKey.secret,
      supervisor: await signIn(api, supervisor.email, supervisor.password, t.slug),
    };
    // first use of each key records lastUsedAt; do it before the snapshot
    for (const token of Object.values(callers)) await api.ok('{ viewer { kind } }', {}, token);
  });
  after(() => api.stop());

  it('refuses every mutation that acts on a user with more rights than the caller, and writes nothing', async () => {
    const before = await snapshot(api);
    const visited: string[] = [];
    const failures: string[] = [];
    for (const field of Object.values(schema.getMutationType()!.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (!tenantCallable(field) || ROUTES_WORK_TO.has(field.name)) continue;
      const slots = field.args.flatMap((a) => idSlotNames(a.type, a.name));
      if (!slots.some((slot) => namesUser(slot, field.name))) continue;
      visited.push(field.name);
      const idFor = (slot: string) => (namesUser(slot, field.name) ? t.adminId : slot === 'securityGroupIds' ? grantableGroup : t.adminId);
      const variables = {
        ...Object.fromEntries(argsToSend(field).map((a) => [a.name, valueFor(a.type, a.name, idFor)])),
        ...ATTACKS[field.name],
      };
      for (const [who, token] of Object.entries(callers)) {
        const r = await api.gql(operation('mutation', field, argsToSend(field)), variables, token);
        if (codeOf(r) !== 'FORBIDDEN') failures.push(`${who}: ${field.name}(${JSON.stringify(variables)}) -> ${JSON.stringify(r.errors ?? r.data)}`);
      }
    }
    assert.deepEqual(failures, []);
    for (const name of ['updateUser', 'deleteUser', 'setUserPassword', 'setUserSecurityGroups', 'signOutUser']) {
      assert.ok(visited.includes(name), `the walk should have reached ${name}; it reached ${visited.join(', ')}`);
    }
    assert.equal(await snapshot(api), before, 'a refused call changed the database');
    await api.ok('{ viewer { kind } }', {}, t.adminToken); // still signed in: not signed out, disabled or narrowed
    await signIn(api, `admin@${t.slug}.example`, 'admin-password-1', t.slug);
  });

  it('still lets a narrowed administrator act on users whose rights they hold', async () => {
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    await api.ok('mutation($id: ID!) { setUserPassword(id: $id, password: "a-fresh-password-1") { id } }', { id: agent.id }, narrowedAdmin.token);
    const token = await signIn(api, agent.email, 'a-fresh-password-1', t.slug);
    await api.ok('mutation($id: ID!) { signOutUser(id: $id) { id } }', { id: agent.id }, narrowedAdmin.token);
    assert.equal(codeOf(await api.gql('{ viewer { kind } }', {}, token)), 'UNAUTHENTICATED');
    await api.ok('mutation($id: ID!) { updateUser(id: $id, input: { status: DISABLED }) { id } }', { id: agent.id }, narrowedAdmin.token);
    await api.ok('mutation($id: ID!) { deleteUser(id: $id) }', { id: agent.id }, narrowedAdmin.token);
    // and the full administrator may act on the narrowed one
    await api.ok('mutation($id: ID!) { signOutUser(id: $id) { id } }', { id: narrowedAdmin.id }, t.adminToken);
    narrowedAdmin.token = await signIn(api, narrowedAdmin.email, narrowedAdmin.password, t.slug);
    callers['narrowed administrator'] = narrowedAdmin.token;
  });

  it('lets a supervisor sign an agent out (an agent\'s own work rights give no power), not change it', async () => {
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1, 'floor');
    const token = await signIn(api, agent.email, agent.password, t.slug);
    const change = await api.gql('mutation($id: ID!) { updateUser(id: $id, input: { status: DISABLED }) { id } }', { id: agent.id }, callers.supervisor);
    assert.equal(codeOf(change), 'FORBIDDEN', JSON.stringify(change));
    await api.ok('mutation($id: ID!) { signOutUser(id: $id) { id } }', { id: agent.id }, callers.supervisor);
    assert.equal(codeOf(await api.gql('{ viewer { kind } }', {}, token)), 'UNAUTHENTICATED');
  });

  it('refuses changing or deleting a security group whose members hold rights the caller lacks', async () => {
    // An administrator whose rights come from a group holding everything: editing that group acts on them.
    const all = (await api.ok('mutation($p: [Permission!]!) { createSecurityGroup(input: { name: "Everything", permissions: $p }) { id } }', { p: ALL }, t.adminToken)).createSecurityGroup.id;
    const other = (await api.ok('mutation { createSecurityGroup(input: { name: "Other", permissions: [USERS_READ] }) { id } }', {}, t.adminToken)).createSecurityGroup.id;
    const [boss] = await createUsers(api, t.adminToken, 'ADMINISTRATOR', 1, 'boss');
    await api.ok('mutation($u: ID!, $g: [ID!]!) { setUserSecurityGroups(userId: $u, securityGroupIds: $g) { id } }', { u: boss.id, g: [all, other] }, t.adminToken);
    const before = await snapshot(api);
    const narrowTo = await api.gql('mutation($id: ID!) { updateSecurityGroup(id: $id, input: { name: "Everything", permissions: [USERS_READ] }) { id } }', { id: all }, narrowedAdmin.token);
    assert.equal(codeOf(narrowTo), 'FORBIDDEN', JSON.stringify(narrowTo));
    const remove = await api.gql('mutation($id: ID!) { deleteSecurityGroup(id: $id) }', { id: all }, narrowedAdmin.token);
    assert.equal(codeOf(remove), 'FORBIDDEN', JSON.stringify(remove));
    assert.equal(await snapshot(api), before);
  });
});
