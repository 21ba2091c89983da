import { randomBytes } from 'node:crypto';
import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { hashPassword } from '../../platform/auth/password.js';
import { paginate } from '../../platform/connection.js';
import type { Role } from '../../platform/auth/permissions.js';
import type { TenantPrincipal } from '../../platform/auth/principal.js';
import { WORK_RIGHTS, assertCanGrant, assertHoldsRightsOf, assertNotSelf, groupsById, groupsOf } from './grants.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { revokeSessions } from './auth.service.js';
import type { CreateUserInput, UpdateUserInput, UsersArgs } from './identity.input.js';
import type { UserType } from './identity.type.js';
import { SecurityGroup, SecurityGroupMember } from './security-group.entity.js';
import { User, UserStatus } from './user.entity.js';
import { afterSipAccountRemoval, dropSipRegistrations, removeSipAccount, syncSipAccount } from '../telephony/sip/index.js';
import type { App } from '../../platform/context.js';

export function toUserType(u: User): UserType {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.status,
    createdAt: u.createdAt,
    lastSignInAt: u.lastSignInAt ?? null,
    tenantId: u.tenant?.id ?? null,
  };
}

/** A readable random first password (shown once). */
export const generatePassword = () => randomBytes(12).toString('base64url');

export async function getUser(em: Em, tenantId: string, id: string): Promise<User> {
  const user = await em.findOne(User, { id, tenant: tenantId });
  if (!user) throw notFound('User');
  return user;
}

/**
 * A user the caller is about to act on: in the caller's tenant (else NOT_FOUND) and holding no
 * right the caller lacks (else FORBIDDEN). Every mutation that changes, signs out or deletes a
 * user loads it through here.
 */
export async function managedUser(em: Em, caller: TenantPrincipal, id: string): Promise<User> {
  const user = await getUser(em, caller.tenantId, id);
  await assertHoldsRightsOf(em, caller, user);
  return user;
}

export async function listUsers(em: Em, tenantId: string, args: UsersArgs) {
  const like = args.search ? `%${args.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const where = {
    tenant: tenantId,
    ...(args.role && { role: args.role }),
    ...(like && { $or: [{ name: { $ilike: like } }, { email: { $ilike: like } }] }),
  };
  const conn = await paginate(em, User, where, args);
  return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: toUserType(e.node) })) };
}

/** Replaces a user's security groups (already checked to be the tenant's). */
async function replaceGroups(tx: Em, tenantId: string, userId: string, groups: readonly SecurityGroup[]): Promise<void> {
  await tx.nativeDelete(SecurityGroupMember, { user: userId, tenant: tenantId });
  for (const group of groups) tx.create(SecurityGroupMember, { tenant: tenantId, group, user: userId });
}

/**
 * Creates a tenant user inside the caller's transaction. Returns the generated first password
 * when none was given.
 */
export async function insertUser(
  tx: Em,
  tenantId: string,
  input: Pick<CreateUserInput, 'email' | 'name' | 'password' | 'securityGroupIds'> & { role: Role },
): Promise<{ user: User; initialPassword: string | null }> {
  const email = input.email.trim().toLowerCase();
  if (await tx.count(User, { tenant: tenantId, email })) {
    throw new AppError(ErrorCode.CONFLICT, `A user with e-mail ${email} already exists`, { field: 'email' });
  }
  const initialPassword = input.password ? null : generatePassword();
  const user = tx.create(User, {
    tenant: tx.getReference(Tenant, tenantId),
    email,
    name: input.name.trim(),
    role: input.role,
    passwordHash: await hashPassword(input.password ?? initialPassword!),
  });
  if (input.securityGroupIds?.length) {
    const groups = await groupsById(tx, tenantId, input.securityGroupIds);
    await tx.flush();
    await replaceGroups(tx, tenantId, user.id, groups);
  }
  await tx.flush();
  await syncSipAccount(tx, user.id);
  return { user, initialPassword };
}

export function createUser(em: Em, caller: TenantPrincipal, input: CreateUserInput) {
  return em.transactional(async (tx) => {
    assertCanGrant(caller, input.role, await groupsById(tx, caller.tenantId, input.securityGroupIds ?? []));
    return insertUser(tx, caller.tenantId, input);
  });
}

/**
 * Refused for a user who holds rights the caller lacks (managedUser). Changing one's own role or
 * status is refused, so an administrator cannot lock the tenant out by accident; a new role may
 * not carry rights the caller lacks. An agent who is disabled or given
 * another role loses the SIP account, its registrations and calls in progress at once.
 */
export async function updateUser(app: App, em: Em, caller: TenantPrincipal, id: string, input: UpdateUserInput) {
  const tenantId = caller.tenantId;
  const { user, removal } = await em.transactional(async (tx) => {
    const user = await managedUser(tx, caller, id);
    if ((input.role && input.role !== user.role) || (input.status && input.status !== user.status)) {
      assertNotSelf(caller, id, 'role or status');
    }
    if (input.role && input.role !== user.role) assertCanGrant(caller, input.role, await groupsOf(tx, tenantId, id));
    if (input.name) user.name = input.name.trim();
    if (input.role) user.role = input.role;
    if (input.status) user.status = input.status;
    await tx.flush();
    const removal = await syncSipAccount(tx, id);
    if (input.status === UserStatus.DISABLED || input.role) await revokeSessions(tx, { userId: id, tenantId });
    return { user, removal };
  });
  await afterSipAccountRemoval(app, removal);
  return user;
}

/**
 * Deletes a user for good: sessions, group memberships, queue memberships, agent state and SIP
 * account go with it (foreign keys); interactions, notes and blacklist entries keep their history
 * without the author. Refused for oneself, for users with rights beyond the caller's, and while
 * the user is on a call (disabling ends the call, then the user can be deleted).
 */
export async function deleteUser(app: App, em: Em, caller: TenantPrincipal, id: string): Promise<string> {
  const tenantId = caller.tenantId;
  const removal = await em.transactional(async (tx) => {
    if (caller.kind === 'user' && caller.userId === id) throw badInput('You cannot delete yourself; ask another administrator');
    await managedUser(tx, caller, id);
    const removal = await removeSipAccount(tx, id);
    if (removal?.callInteractionIds.length) {
      throw new AppError(ErrorCode.CONFLICT, 'The user is on a call; disable them first (that ends the call) or wait until it ends');
    }
    await tx.nativeDelete(User, { id, tenant: tenantId });
    return removal;
  });
  await afterSipAccountRemoval(app, removal);
  return id;
}

/**
 * A password reset locks the user out everywhere at once: sessions end, SIP credentials already
 * issued stop working, and the phone's registrations are dropped (a call in progress goes on).
 */
export async function setUserPassword(app: App, em: Em, caller: TenantPrincipal, id: string, password: string): Promise<User> {
  const tenantId = caller.tenantId;
  const passwordHash = await hashPassword(password);
  const { user, removal } = await em.transactional(async (tx) => {
    const user = await managedUser(tx, caller, id);
    user.passwordHash = passwordHash;
    await tx.flush();
    await revokeSessions(tx, { userId: id, tenantId });
    await syncSipAccount(tx, id, { rotate: true });
    return { user, removal: await dropSipRegistrations(tx, id) };
  });
  await afterSipAccountRemoval(app, removal);
  return user;
}

export async function setUserGroups(em: Em, caller: TenantPrincipal, userId: string, groupIds: string[]): Promise<User> {
  return em.transactional(async (tx) => {
    const user = await getUser(tx, caller.tenantId, userId);
    const groups = await groupsById(tx, caller.tenantId, groupIds);
    assertNotSelf(caller, userId, 'security groups');
    await assertHoldsRightsOf(tx, caller, user);
    assertCanGrant(caller, user.role, groups);
    await replaceGroups(tx, caller.tenantId, userId, groups);
    return user;
  });
}

/**
 * Ends every session of a user (frees an agent's seat); the caller must hold the user's rights,
 * an agent's own work rights aside (WORK_RIGHTS), so supervisors can sign agents out.
 */
export async function signOutUser(em: Em, caller: TenantPrincipal, id: string): Promise<User> {
  const user = await getUser(em, caller.tenantId, id);
  await assertHoldsRightsOf(em, caller, user, { ignoring: WORK_RIGHTS });
  await revokeSessions(em, { userId: id, tenantId: caller.tenantId });
  return user;
}
