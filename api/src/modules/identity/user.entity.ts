import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Role } from '../../platform/auth/permissions.js';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}

/**
 * A person who signs in. Tenant users carry their tenant; platform operators have none
 * (a check constraint in the migration keeps the two consistent).
 */
export const User = defineEntity({
  name: 'User',
  tableName: 'app_user',
  uniques: [{ properties: ['tenant', 'email'] }],
  indexes: [
    {
      name: 'app_user_operator_email_unique',
      expression: 'create unique index "app_user_operator_email_unique" on "app_user" ("email") where "tenant_id" is null',
    },
  ],
  checks: [
    {
      name: 'app_user_operator_has_no_tenant',
      expression: `("role" = 'PLATFORM_OPERATOR') = ("tenant_id" is null)`,
    },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant).nullable().deleteRule('no action').index(),
    email: p.string().length(254),
    name: p.string().length(200),
    role: p.enum(() => Role),
    status: p.enum(() => UserStatus).default(UserStatus.ACTIVE),
    /** scrypt hash; null until the user sets a password. Never exposed, loaded only on request. */
    passwordHash: p.string().length(255).nullable().hidden().lazy(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastSignInAt: p.datetime().nullable(),
  },
});
export type User = InferEntity<typeof User>;
