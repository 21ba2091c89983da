import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi, type TestApi } from '../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../testing/fixtures.js';
import { Permission, ROLE_PERMISSIONS, Role } from '../../platform/auth/permissions.js';

const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { accessToken refreshToken user { id email role } } }';
const REFRESH = 'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }';
const VIEWER = '{ viewer { kind user { email } tenant { slug } permissions } }';

describe('sign-in and sessions', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('signs in with e-mail and password, case-insensitively, and tells who the caller is', async () => {
    const t = await createTenant(api);
    const r = await api.ok(SIGN_IN, { input: { email: `ADMIN@${t.slug.toUpperCase()}.example`, password: 'admin-password-1' } });
    assert.equal(r.signIn.user.role, 'ADMINISTRATOR');
    const v = await api.ok(VIEWER, {}, r.signIn.accessToken);
    assert.equal(v.viewer.kind, 'USER');
    assert.equal(v.viewer.tenant.slug, t.slug);
    assert.ok(v.viewer.permissions.includes('USERS_MANAGE'));
  });

  it('answers a wrong password and an unknown e-mail the same way', async () => {
    const t = await createTenant(api);
    const wrong = await api.gql(SIGN_IN, { input: { email: `admin@${t.slug}.example`, password: 'not-the-password' } });
    const unknown = await api.gql(SIGN_IN, { input: { email: 'nobody@nowhere.example', password: 'not-the-password' } });
    assert.equal(codeOf(wrong), 'INVALID_CREDENTIALS');
    assert.equal(codeOf(unknown), 'INVALID_CREDENTIALS');
    assert.equal(wrong.errors![0].message, unknown.errors![0].message);
  });

  it('asks for the tenant only when one e-mail and password open accounts in several tenants', async () => {
    const a = await createTenant(api);
    const b = await createTenant(api);
    const email = `shared-${a.slug}@example.com`;
    for (const t of [a, b]) {
      await api.ok('mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }', {
        i: { email, name: 'Shared', role: 'SUPERVISOR', password: 'shared-password' },
      }, t.adminToken);
    }
    const ambiguous = await api.gql(SIGN_IN, { input: { email, password: 'shared-password' } });
    assert.equal(codeOf(ambiguous), 'BAD_USER_INPUT');
    assert.equal(ambiguous.errors![0].extensions!.field, 'tenant');
    const token = await signIn(api, email, 'shared-password', b.slug);
    assert.equal((await api.ok(VIEWER, {}, token)).viewer.tenant.slug, b.slug);
  });

  it('rotates refresh tokens and ends the session when an old one comes back', async () => {
    const t = await createTenant(api);
    const first = (await api.ok(SIGN_IN, { input: { email: `admin@${t.slug}.example`, password: 'admin-password-1' } })).signIn;
    const second = (await api.ok(REFRESH, { t: first.refreshToken })).refreshSession;
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.equal((await api.gql(VIEWER, {}, second.accessToken)).errors, undefined);
    const third = (await api.ok(REFRESH, { t: second.refreshToken })).refreshSession;
    // replaying an exchanged token: refused, and the whole session ends
    assert.equal(codeOf(await api.gql(REFRESH, { t: first.refreshToken })), 'UNAUTHENTICATED');
    assert.equal(codeOf(await api.gql(VIEWER, {}, third.accessToken)), 'UNAUTHENTICATED');
    assert.equal(codeOf(await api.gql(REFRESH, { t: third.refreshToken })), 'UNAUTHENTICATED');
  });

  it('signs out: the access token and refresh token stop working at once', async () => {
    const t = await createTenant(api);
    const s = (await api.ok(SIGN_IN, { input: { email: `admin@${t.slug}.example`, password: 'admin-password-1' } })).signIn;
    assert.equal((await api.ok('mutation { signOut }', {}, s.accessToken)).signOut, true);
    assert.equal(codeOf(await api.gql(VIEWER, {}, s.accessToken)), 'UNAUTHENTICATED');
    assert.equal(codeOf(await api.gql(REFRESH, { t: s.refreshToken })), 'UNAUTHENTICATED');
  });

  it('disables users: their sessions end and they cannot sign in', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const token = await signIn(api, agent.email, agent.password, t.slug);
    await api.ok('mutation($id: ID!) { updateUser(id: $id, input: { status: DISABLED }) { status } }', { id: agent.id }, t.adminToken);
    assert.equal(codeOf(await api.gql(VIEWER, {}, token)), 'UNAUTHENTICATED');
    assert.equal(codeOf(await api.gql(SIGN_IN, { input: { email: agent.email, password: agent.password } })), 'INVALID_CREDENTIALS');
    const self = await api.gql('mutation($id: ID!) { updateUser(id: $id, input: { role: AGENT }) { id } }', { id: t.adminId }, t.adminToken);
    assert.equal(codeOf(self), 'BAD_USER_INPUT', 'an administrator cannot demote itself');
  });

  it('changes passwords: the old one stops working and other sessions end', async () => {
    const t = await createTenant(api);
    const other = await signIn(api, `admin@${t.slug}.example`, 'admin-password-1');
    const wrong = await api.gql('mutation { changePassword(currentPassword: "nope", newPassword: "brand-new-password") }', {}, t.adminToken);
    assert.equal(codeOf(wrong), 'INVALID_CREDENTIALS');
    const short = await api.gql('mutation { changePassword(currentPassword: "admin-password-1", newPassword: "short") }', {}, t.adminToken);
    assert.equal(codeOf(short), 'BAD_USER_INPUT');
    await api.ok('mutation { changePassword(currentPassword: "admin-password-1", newPassword: "brand-new-password") }', {}, t.adminToken);
    assert.equal(codeOf(await api.gql(VIEWER, {}, other)), 'UNAUTHENTICATED');
    assert.equal((await api.gql(VIEWER, {}, t.adminToken)).errors, undefined);
    assert.equal(codeOf(await api.gql(SIGN_IN, { input: { email: `admin@${t.slug}.example`, password: 'admin-password-1' } })), 'INVALID_CREDENTIALS');
    await signIn(api, `admin@${t.slug}.example`, 'brand-new-password');
  });

  it('gives each role its rights', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const [sup] = await createUsers(api, t.adminToken, 'SUPERVISOR', 1);
    const agentToken = await signIn(api, agent.email, agent.password, t.slug);
    const supToken = await signIn(api, sup.email, sup.password, t.slug);
    assert.equal(codeOf(await api.gql('{ users { totalCount } }', {}, agentToken)), 'FORBIDDEN');
    assert.equal((await api.ok('{ users { totalCount } }', {}, supToken)).users.totalCount, 3);
    const create = 'mutation { createUser(input: { email: "x@example.com", name: "X", role: AGENT }) { user { id } } }';
    assert.equal(codeOf(await api.gql(create, {}, supToken)), 'FORBIDDEN');
    assert.equal(codeOf(await api.gql('{ tenants { totalCount } }', {}, t.adminToken)), 'FORBIDDEN');
    const generated = await api.ok(create, {}, t.adminToken);
    assert.ok(generated.createUser.user.id);
    const withPassword = await api.ok('mutation { createUser(input: { email: "y@example.com", name: "Y", role: AGENT }) { initialPassword } }', {}, t.adminToken);
    assert.match(withPassword.createUser.initialPassword, /^[\w-]{16}$/);
  });

  it('narrows supervisors and administrators by their security groups', async () => {
    const t = await createTenant(api);
    const [admin2] = await createUsers(api, t.adminToken, 'ADMINISTRATOR', 1);
    const group = await api.ok(
      'mutation { createSecurityGroup(input: { name: "Read-only admins", permissions: [USERS_READ, API_KEYS_MANAGE] }) { id permissions } }',
      {},
      t.adminToken,
    );
    await api.ok('mutation($u: ID!, $g: [ID!]!) { setUserSecurityGroups(userId: $u, securityGroupIds: $g) { id } }', {
      u: admin2.id, g: [group.createSecurityGroup.id],
    }, t.adminToken);
    const token = await signIn(api, admin2.email, admin2.password, t.slug);
    const v = await api.ok(VIEWER, {}, token);
    assert.deepEqual(v.viewer.permissions, ['API_KEYS_MANAGE', 'TENANT_READ', 'USERS_READ']);
    assert.equal((await api.ok('{ users { totalCount } }', {}, token)).users.totalCount, 2);
    const create = await api.gql('mutation { createUser(input: { email: "z@example.com", name: "Z", role: AGENT }) { user { id } } }', {}, token);
    assert.equal(codeOf(create), 'FORBIDDEN');
    // an API key can never carry more than its creator may do
    const key = await api.gql('mutation { createApiKey(input: { name: "k", scopes: [USERS_MANAGE] }) { secret } }', {}, token);
    assert.equal(codeOf(key), 'FORBIDDEN');
    const users = await api.ok('{ users { edges { node { email securityGroups { name } } } } }', {}, t.adminToken);
    const narrowed = users.users.edges.find((e: { node: { email: string } }) => e.node.email === admin2.email);
    assert.deepEqual(narrowed.node.securityGroups, [{ name: 'Read-only admins' }]);
    const dup = await api.gql('mutation { createSecurityGroup(input: { name: "Read-only admins", permissions: [] }) { id } }', {}, t.adminToken);
    assert.equal(codeOf(dup), 'CONFLICT');
  });

  it('never lets anyone give rights they do not have, nor change the groups that narrow them', async () => {
    const t = await createTenant(api);
    const group = (name: string, perms: string) =>
      api.ok(`mutation { createSecurityGroup(input: { name: "${name}", permissions: [${perms}] }) { id } }`, {}, t.adminToken).then((r) => r.createSecurityGroup.id as string);
    // everything an agent has (so agents may be created), plus managing users and groups
    const managerRights = [...ROLE_PERMISSIONS[Role.AGENT], Permission.USERS_READ, Permission.USERS_MANAGE, Permission.SECURITY_GROUPS_MANAGE];
    const managers = await group('Managers', managerRights.join(', '));
    const readers = await group('Readers', 'USERS_READ');
    const [manager, other] = await createUsers(api, t.adminToken, 'ADMINISTRATOR', 2);
    const setGroups = 'mutation($u: ID!, $g: [ID!]!) { setUserSecurityGroups(userId: $u, securityGroupIds: $g) { id } }';
    await api.ok(setGroups, { u: manager.id, g: [managers] }, t.adminToken);
    await api.ok(setGroups, { u: other.id, g: [readers] }, t.adminToken);
    const token = await signIn(api, manager.email, manager.password, t.slug);

    assert.equal(codeOf(await api.gql('mutation { createSecurityGroup(input: { name: "Keys", permissions: [API_KEYS_MANAGE] }) { id } }', {}, token)), 'FORBIDDEN');
    assert.equal(codeOf(await api.gql(setGroups, { u: other.id, g: [] }, token)), 'FORBIDDEN', 'un-narrowing an administrator');
    assert.equal(codeOf(await api.gql(setGroups, { u: manager.id, g: [readers] }, token)), 'BAD_USER_INPUT', 'own groups');
    const admin = 'mutation { createUser(input: { email: "boss@example.com", name: "Boss", role: ADMINISTRATOR }) { user { id } } }';
    assert.equal(codeOf(await api.gql(admin, {}, token)), 'FORBIDDEN', 'an unrestricted administrator');
    const narrowAdmin = await api.gql('mutation($g: [ID!]) { createUser(input: { email: "n@example.com", name: "N", role: ADMINISTRATOR, securityGroupIds: $g }) { user { id } } }', { g: [readers] }, token);
    assert.equal(narrowAdmin.errors, undefined, 'an administrator narrowed to less than the caller is fine');
    await api.ok('mutation { createUser(input: { email: "a@example.com", name: "A", role: AGENT }) { user { id } } }', {}, token);
    const edit = await api.gql('mutation($id: ID!) { updateSecurityGroup(id: $id, input: { name: "Managers", permissions: [USERS_READ] }) { id } }', { id: managers }, token);
    assert.equal(codeOf(edit), 'BAD_USER_INPUT', 'a group the caller is in');
    assert.equal(codeOf(await api.gql('mutation($id: ID!) { deleteSecurityGroup(id: $id) }', { id: managers }, token)), 'BAD_USER_INPUT');
    assert.equal(codeOf(await api.gql('mutation($id: ID!) { deleteSecurityGroup(id: $id) }', { id: readers }, token)), 'FORBIDDEN', 'members would widen');
    // an unrestricted administrator can do all of it
    await api.ok(setGroups, { u: other.id, g: [] }, t.adminToken);
    await api.ok('mutation($id: ID!) { deleteSecurityGroup(id: $id) }', { id: readers }, t.adminToken);
  });
});
