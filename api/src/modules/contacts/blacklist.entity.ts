import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../identity/user.entity.js';
import { IdentifierKind } from './identifiers.js';

export enum BlacklistMatch {
  EXACT = 'EXACT',
  PREFIX = 'PREFIX',
}

/** A phone number, address or handle (or a prefix of them) refused on every channel. */
export const BlacklistEntry = defineEntity({
  name: 'BlacklistEntry',
  tableName: 'blacklist_entry',
  uniques: [{ properties: ['tenant', 'kind', 'match', 'value'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    kind: p.enum(() => IdentifierKind),
    match: p.enum(() => BlacklistMatch),
    value: p.string().length(254),
    reason: p.string().length(500).nullable(),
    createdBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type BlacklistEntry = InferEntity<typeof BlacklistEntry>;
