import { randomBytes } from 'node:crypto';
import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, notFound } from '../../platform/errors.js';
import { hashPassword } from '../../platform/auth/password.js';
import { paginate } from '../../platform/connection.js';
import type { Role } from '../../platform/auth/permissions.js';
import type { TenantPrincipal } from '../../platform/auth/principal.js';
import { assertCanGrant, assertNotSelf, groupsById } from './grants.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { revokeSessions } from './auth.service.js';
import type { CreateUserInput, UpdateUserInput, UsersArgs } from './identity.input.js';
import type { UserType } from './identity.type.js';
import { SecurityGroup, SecurityGroupMember } from './security-group.entity.js';
import { User, UserStatus } from './user.entity.js';

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
  return { user, initialPassword };
}

export function createUser(em: Em, caller: TenantPrincipal, input: CreateUserInput) {
  return em.transactional(async (tx) => {
    assertCanGrant(caller, input.role, await groupsById(tx, caller.tenantId, input.securityGroupIds ?? []));
    return insertUser(tx, caller.tenantId, input);
  });
}

async function groupsOf(tx: Em, tenantId: string, userId: string): Promise<SecurityGroup[]> {
  const members = await tx.find(SecurityGroupMember, { user: userId, tenant: tenantId }, { populate: ['group'] });
  return members.map((m) => m.group);
}

/**
 * Changing one's own role or status is refused, so an administrator cannot lock the tenant out by
 * accident; a new role may not carry rights the caller lacks.
 */
export async function updateUser(em: Em, caller: TenantPrincipal, id: string, input: UpdateUserInput) {
  const tenantId = caller.tenantId;
  return em.transactional(async (tx) => {
    const user = await getUser(tx, tenantId, id);
    if ((input.role && input.role !== user.role) || (input.status && input.status !== user.status)) {
      assertNotSelf(caller, id, 'role or status');
    }
    if (input.role && input.role !== user.role) assertCanGrant(caller, input.role, await groupsOf(tx, tenantId, id));
    if (input.name) user.name = input.name.trim();
    if (input.role) user.role = input.role;
    if (input.status) user.status = input.status;
    await tx.flush();
    if (input.status === UserStatus.DISABLED || input.role) await revokeSessions(tx, { userId: id, tenantId });
    return user;
  });
}

export async function setUserPassword(em: Em, tenantId: string, id: string, password: string): Promise<User> {
  const user = await getUser(em, tenantId, id);
  user.passwordHash = await hashPassword(password);
  await em.flush();
  await revokeSessions(em, { userId: id, tenantId });
  return user;
}

export async function setUserGroups(em: Em, caller: TenantPrincipal, userId: string, groupIds: string[]): Promise<User> {
  return em.transactional(async (tx) => {
    const user = await getUser(tx, caller.tenantId, userId);
    const groups = await groupsById(tx, caller.tenantId, groupIds);
    assertNotSelf(caller, userId, 'security groups');
    assertCanGrant(caller, user.role, groups);
    await replaceGroups(tx, caller.tenantId, userId, groups);
    return user;
  });
}
