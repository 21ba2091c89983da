import type { Em } from '../../platform/db/orm.js';
import { badInput, forbidden, notFound } from '../../platform/errors.js';
import { effectivePermissions, type Permission, type Role } from '../../platform/auth/permissions.js';
import type { TenantPrincipal } from '../../platform/auth/principal.js';
import { SecurityGroup } from './security-group.entity.js';

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

export function assertNotSelf(caller: TenantPrincipal, userId: string, what: string): void {
  if (caller.kind === 'user' && caller.userId === userId) throw badInput(`You cannot change your own ${what}; ask another administrator`);
}
