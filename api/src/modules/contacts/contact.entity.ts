import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { IdentifierKind } from './identifiers.js';

/** One of the tenant's customers. */
export const Contact = defineEntity({
  name: 'Contact',
  tableName: 'contact',
  // name search (`ILIKE '%part%'`) through trigrams (pg_trgm, created by the migration that builds it)
  indexes: [{ name: 'contact_name_trgm_index', expression: 'create index "contact_name_trgm_index" on "contact" using gin ("name" gin_trgm_ops)' }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant).index(),
    name: p.string().length(200).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Contact = InferEntity<typeof Contact>;

/**
 * A phone number, e-mail address or channel handle of a contact, stored normalised. Unique per
 * tenant, so one identifier always leads to one person.
 */
export const ContactIdentifier = defineEntity({
  name: 'ContactIdentifier',
  tableName: 'contact_identifier',
  uniques: [{ properties: ['tenant', 'kind', 'value'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    contact: () => p.manyToOne(Contact).deleteRule('cascade').index(),
    kind: p.enum(() => IdentifierKind),
    value: p.string().length(254),
  },
});
export type ContactIdentifier = InferEntity<typeof ContactIdentifier>;
