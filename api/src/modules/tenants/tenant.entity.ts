import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { LicencePolicy } from '../licensing/licence-policy.entity.js';

export enum Deployment {
  CLOUD = 'CLOUD',
  ON_PREMISES = 'ON_PREMISES',
}

export enum Language {
  en = 'en',
  es = 'es',
  fr = 'fr',
}

export enum TenantStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
}

export const Tenant = defineEntity({
  name: 'Tenant',
  tableName: 'tenant',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    name: p.string().length(200),
    slug: p.string().length(63).unique(),
    deployment: p.enum(() => Deployment),
    timeZone: p.string().length(64),
    language: p.enum(() => Language),
    status: p.enum(() => TenantStatus).default(TenantStatus.ACTIVE),
    licencePolicy: () => p.manyToOne(LicencePolicy),
    createdAt: p.datetime().onCreate(() => new Date()),
    suspendedAt: p.datetime().nullable(),
    /** Months transcripts and recordings are kept after an interaction ends (12 by default; longer is a paid option). */
    retentionMonths: p.integer().default(12),
  },
});
export type Tenant = InferEntity<typeof Tenant>;
