import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Permission } from '../../platform/auth/permissions.js';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from './user.entity.js';

/** A named set of permissions that narrows what its supervisor and administrator members may do. */
export const SecurityGroup = defineEntity({
  name: 'SecurityGroup',
  tableName: 'security_group',
  uniques: [{ properties: ['tenant', 'name'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    name: p.string().length(120),
    description: p.string().length(500).nullable(),
    /** Checked by the GraphQL enum on the way in; no database check, so new permissions need no migration. */
    permissions: p.array().$type<Permission[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type SecurityGroup = InferEntity<typeof SecurityGroup>;

/** Membership of a user in a security group; carries tenant_id like every tenant-owned row. */
export const SecurityGroupMember = defineEntity({
  name: 'SecurityGroupMember',
  tableName: 'security_group_member',
  properties: {
    tenant: () => p.manyToOne(Tenant),
    group: () => p.manyToOne(SecurityGroup).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade').index(),
  },
});
export type SecurityGroupMember = InferEntity<typeof SecurityGroupMember>;
