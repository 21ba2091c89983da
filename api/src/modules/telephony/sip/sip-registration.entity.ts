import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../../platform/ids.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { User } from '../../identity/user.entity.js';

/**
 * A live SIP contact of an agent, as Kamailio reported it (POST /telephony/kamailio/registration).
 * The API's own view of usrloc: routing offers calls only to agents with an unexpired row.
 */
export const SipRegistration = defineEntity({
  name: 'SipRegistration',
  tableName: 'sip_registration',
  uniques: [{ properties: ['user', 'contact'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant).index(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    contact: p.string().length(512),
    transport: p.string().length(8),
    userAgent: p.string().length(255).nullable(),
    expiresAt: p.datetime(),
    registeredAt: p.datetime(),
  },
});
export type SipRegistration = InferEntity<typeof SipRegistration>;
