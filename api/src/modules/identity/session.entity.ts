import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from './user.entity.js';

/**
 * A signed-in session. It holds the hash of its current refresh token; rotating replaces the
 * hash, and presenting an older token of the same session revokes it (token theft detection).
 * Active sessions of AGENT users are what licence seats count.
 */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'session',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant).nullable().deleteRule('no action'),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    refreshTokenHash: p.string().length(64).unique().hidden(),
    /** Hashes of refresh tokens already rotated away; seeing one again means the token leaked. */
    previousTokenHashes: p.array().default([]).hidden(),
    /** True when this session holds one of the tenant's agent seats. */
    holdsSeat: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    userAgent: p.string().length(400).nullable(),
  },
});
export type Session = InferEntity<typeof Session>;
