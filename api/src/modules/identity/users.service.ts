import { randomBytes } from 'node:crypto';
import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { hashPassword } from '../../platform/auth/password.js';
import { paginate } from '../../platform/connection.js';
import type { Role } from '../../platform/auth/permissions.js';
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

/** Replaces a user's security groups; every group must belong to the same tenant. */
export async function assignGroups(tx: Em, tenantId: string, userId: string, groupIds: readonly string[]): Promise<void> {
  const unique = [...new Set(groupIds)];
  const groups = unique.length ? await tx.find(SecurityGroup, { id: { $in: unique }, tenant: tenantId }) : [];
  if (groups.length !== unique.length) throw notFound('Security group');
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
    await tx.flush();
    await assignGroups(tx, tenantId, user.id, input.securityGroupIds);
  }
  return { user, initialPassword };
}

export function createUser(em: Em, tenantId: string, input: CreateUserInput) {
  return em.transactional((tx) => insertUser(tx, tenantId, input));
}

/** Changing one's own role or status is refused, so an administrator cannot lock the tenant out by accident. */
export async function updateUser(em: Em, tenantId: string, actorUserId: string | undefined, id: string, input: UpdateUserInput) {
  return em.transactional(async (tx) => {
    const user = await getUser(tx, tenantId, id);
    if (id === actorUserId && ((input.role && input.role !== user.role) || (input.status && input.status !== user.status))) {
      throw badInput('You cannot change your own role or status', input.role ? 'role' : 'status');
    }
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

export async function setUserGroups(em: Em, tenantId: string, userId: string, groupIds: string[]): Promise<User> {
  return em.transactional(async (tx) => {
    const user = await getUser(tx, tenantId, userId);
    await assignGroups(tx, tenantId, userId, groupIds);
    return user;
  });
}
