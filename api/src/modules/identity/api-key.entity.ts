import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Permission } from '../../platform/auth/permissions.js';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from './user.entity.js';

/** A tenant API key for integrations. The secret is shown once; only its SHA-256 is kept. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant).index(),
    name: p.string().length(120),
    /** First characters of the key, shown in lists so people can tell keys apart. */
    prefix: p.string().length(16),
    secretHash: p.string().length(64).unique().hidden(),
    /** Checked by the GraphQL enum on the way in; no database check, so new permissions need no migration. */
    scopes: p.array().$type<Permission[]>(),
    createdBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiKey = InferEntity<typeof ApiKey>;
