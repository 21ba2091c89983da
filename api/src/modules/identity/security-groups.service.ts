import DataLoader from 'dataloader';
import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, notFound } from '../../platform/errors.js';
import type { TenantPrincipal } from '../../platform/auth/principal.js';
import { assertCanGrant, assertHoldsRightsOf, assertNotSelf, assertWithinCaller } from './grants.js';
import { paginate, type PageArgs } from '../../platform/connection.js';
import { Tenant } from '../tenants/tenant.entity.js';
import type { SecurityGroupInput } from './identity.input.js';
import type { SecurityGroupType } from './identity.type.js';
import type { Permission } from '../../platform/auth/permissions.js';
import { SecurityGroup, SecurityGroupMember } from './security-group.entity.js';

export async function getGroup(em: Em, tenantId: string, id: string): Promise<SecurityGroup> {
  const group = await em.findOne(SecurityGroup, { id, tenant: tenantId });
  if (!group) throw notFound('Security group');
  return group;
}

export const listGroups = (em: Em, tenantId: string, page: PageArgs) => paginate(em, SecurityGroup, { tenant: tenantId }, page);

async function assertNameFree(em: Em, tenantId: string, name: string, exceptId?: string) {
  const clash = await em.findOne(SecurityGroup, { tenant: tenantId, name, ...(exceptId && { id: { $ne: exceptId } }) });
  if (clash) throw new AppError(ErrorCode.CONFLICT, `A security group named "${name}" exists`, { field: 'name' });
}

export async function createGroup(em: Em, caller: TenantPrincipal, input: SecurityGroupInput): Promise<SecurityGroup> {
  const tenantId = caller.tenantId;
  assertWithinCaller(caller, input.permissions);
  await assertNameFree(em, tenantId, input.name);
  const group = em.create(SecurityGroup, {
    tenant: em.getReference(Tenant, tenantId),
    name: input.name,
    description: input.description ?? null,
    permissions: [...new Set(input.permissions)],
  });
  await em.flush();
  return group;
}

/**
 * Members of a group whose rights would change: the caller may not be one of them, and must hold
 * every right each of them holds now (changing a group acts on its members).
 */
async function membersOf(em: Em, caller: TenantPrincipal, groupId: string) {
  const members = await em.find(SecurityGroupMember, { group: groupId, tenant: caller.tenantId }, { populate: ['user'] });
  for (const m of members) {
    assertNotSelf(caller, m.user.id, 'security groups (you are in this one)');
    await assertHoldsRightsOf(em, caller, m.user);
  }
  return members;
}

export async function updateGroup(em: Em, caller: TenantPrincipal, id: string, input: SecurityGroupInput): Promise<SecurityGroup> {
  const tenantId = caller.tenantId;
  const group = await getGroup(em, tenantId, id);
  assertWithinCaller(caller, input.permissions);
  await membersOf(em, caller, id);
  await assertNameFree(em, tenantId, input.name, id);
  em.assign(group, { name: input.name, description: input.description ?? null, permissions: [...new Set(input.permissions)] });
  await em.flush();
  return group;
}

/** Deleting a group widens its members' rights: each must end with no more than the caller has. */
export async function deleteGroup(em: Em, caller: TenantPrincipal, id: string): Promise<string> {
  const tenantId = caller.tenantId;
  const group = await getGroup(em, tenantId, id);
  for (const member of await membersOf(em, caller, id)) {
    const others = await em.find(SecurityGroupMember, { user: member.user.id, tenant: tenantId, group: { $ne: id } }, { populate: ['group'] });
    assertCanGrant(caller, member.user.role, others.map((o) => o.group));
  }
  await em.transactional(async (tx) => {
    await tx.nativeDelete(SecurityGroupMember, { group: id, tenant: tenantId });
    await tx.nativeDelete(SecurityGroup, { id: group.id, tenant: tenantId });
  });
  return id;
}

/**
 * Batches "groups of these users" into one query per request (DataLoader). Plain SQL: this is
 * the hot path of every user list, and its rows are only read.
 */
export function groupsByUserLoader(em: Em, tenantId: string) {
  return new DataLoader<string, SecurityGroupType[]>(async (userIds) => {
    const rows = await em.getConnection().execute<(SecurityGroupRow & { user_id: string })[]>(
      `select m.user_id, g.id, g.name, g.description, g.permissions, g.created_at
         from security_group_member m join security_group g on g.id = m.group_id and g.tenant_id = m.tenant_id
        where m.tenant_id = ? and m.user_id in (${userIds.map(() => '?').join(', ')})
        order by g.name`,
      [tenantId, ...userIds],
    );
    const byUser = new Map<string, SecurityGroupType[]>(userIds.map((id) => [id, []]));
    for (const row of rows) byUser.get(row.user_id)?.push(toSecurityGroupType(row));
    return userIds.map((id) => byUser.get(id)!);
  });
}

interface SecurityGroupRow {
  id: string;
  name: string;
  description: string | null;
  permissions: Permission[];
  created_at: Date;
}

const toSecurityGroupType = (row: SecurityGroupRow): SecurityGroupType => ({
  id: row.id,
  name: row.name,
  description: row.description,
  permissions: row.permissions,
  createdAt: new Date(row.created_at),
});
