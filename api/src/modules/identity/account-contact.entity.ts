import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';

export enum AccountContactType {
  ADMINISTRATIVE = 'ADMINISTRATIVE',
  TECHNICAL = 'TECHNICAL',
  BILLING = 'BILLING',
}

/** People the operator writes to: administrative (may request changes), technical (every notice), billing (invoices). */
export const AccountContact = defineEntity({
  name: 'AccountContact',
  tableName: 'account_contact',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant).index(),
    type: p.enum(() => AccountContactType),
    name: p.string().length(200),
    email: p.string().length(254),
    phone: p.string().length(32).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type AccountContact = InferEntity<typeof AccountContact>;
