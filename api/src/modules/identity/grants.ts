import type { Em } from '../../platform/db/orm.js';
import { badInput, forbidden, notFound } from '../../platform/errors.js';
import { effectivePermissions, Permission, type Role } from '../../platform/auth/permissions.js';
import type { TenantPrincipal } from '../../platform/auth/principal.js';
import { SecurityGroup, SecurityGroupMember } from './security-group.entity.js';

/**
 * Nobody gives rights they do not have: not to an API key, not through a role, not through a
 * security group (or by taking one away). And nobody changes the groups that narrow themselves.
 */
export function assertWithinCaller(caller: TenantPrincipal, permissions: Iterable<Permission>): void {
  const beyond = [...new Set(permissions)].filter((p) => !caller.permissions.has(p));
  if (beyond.length) throw forbidden(`You cannot give rights you do not have: ${beyond.sort().join(', ')}`);
}

/** Loads the tenant's groups by id; an unknown (or another tenant's) id is NOT_FOUND. */
export async function groupsById(em: Em, tenantId: string, ids: readonly string[]): Promise<SecurityGroup[]> {
  const unique = [...new Set(ids)];
  const groups = unique.length ? await em.find(SecurityGroup, { id: { $in: unique }, tenant: tenantId }) : [];
  if (groups.length !== unique.length) throw notFound('Security group');
  return groups;
}

/** The rights a user with `role` in `groups` would have must all be the caller's own. */
export function assertCanGrant(caller: TenantPrincipal, role: Role, groups: readonly SecurityGroup[]): void {
  assertWithinCaller(caller, effectivePermissions(role, groups.map((g) => g.permissions)));
}

/** The security groups a user is in. */
export async function groupsOf(em: Em, tenantId: string, userId: string): Promise<SecurityGroup[]> {
  const members = await em.find(SecurityGroupMember, { user: userId, tenant: tenantId }, { populate: ['group'] });
  return members.map((m) => m.group);
}

/**
 * The one rule for every operation that acts on another user (password, name, role, status,
 * security groups, sessions, deletion, and the groups they belong to): the caller must hold every
 * right the target holds now (role narrowed by groups, whatever the status). So nobody takes over,
 * locks out or signs out someone more powerful, whether a narrowed administrator, a supervisor or
 * an API key with a narrow scope. Acting on oneself always passes.
 */
export async function assertHoldsRightsOf(
  em: Em,
  caller: TenantPrincipal,
  user: { id: string; role: Role },
  options: { ignoring?: ReadonlySet<Permission> } = {},
): Promise<void> {
  const target = effectivePermissions(user.role, (await groupsOf(em, caller.tenantId, user.id)).map((g) => g.permissions));
  const beyond = [...target].filter((p) => !caller.permissions.has(p) && !options.ignoring?.has(p));
  if (beyond.length) throw forbidden(`This user holds rights you do not have: ${beyond.sort().join(', ')}`);
}

/**
 * An agent's own work (taking interactions, setting its state): rights that give no power over
 * anyone. Signing a user out grants the caller nothing, so only for that are they left out of the
 * rule above: a supervisor frees an agent's seat, but still cannot sign out an administrator.
 */
export const WORK_RIGHTS: ReadonlySet<Permission> = new Set([Permission.AGENT_STATE_SET, Permission.INTERACTIONS_HANDLE]);

export function assertNotSelf(caller: TenantPrincipal, userId: string, what: string): void {
  if (caller.kind === 'user' && caller.userId === userId) throw badInput(`You cannot change your own ${what}; ask another administrator`);
}
