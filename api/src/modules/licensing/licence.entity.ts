import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';

export enum LicenceKind {
  VOICE = 'VOICE',
  OMNI = 'OMNI',
}

/**
 * Whether the licence lets new agents sign in. GRACE: a payment failed, agents still sign in until
 * `graceEndsAt`; SUSPENDED: new agent sign-ins are refused (grace over or subscription ended).
 * No state ever deletes data.
 */
export enum LicenceStatus {
  ACTIVE = 'ACTIVE',
  GRACE = 'GRACE',
  SUSPENDED = 'SUSPENDED',
}

/** The tenant's one current licence: one kind for every seat, plus add-ons. */
export const Licence = defineEntity({
  name: 'Licence',
  tableName: 'licence',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant).unique(),
    kind: p.enum(() => LicenceKind),
    seats: p.integer(),
    termMonths: p.integer(),
    startsAt: p.datetime(),
    advancedReports: p.boolean().default(false),
    aiConnection: p.boolean().default(false),
    support247: p.boolean().default(false),
    pbxUsers: p.integer().default(0),
    chatbotLicences: p.integer().default(0),
    status: p.enum(() => LicenceStatus).default(LicenceStatus.ACTIVE),
    graceEndsAt: p.datetime().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    version: p.integer().version(),
  },
});
export type Licence = InferEntity<typeof Licence>;
