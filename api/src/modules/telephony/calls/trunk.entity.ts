import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../../platform/ids.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { Campaign } from '../../campaigns/campaign.entity.js';

export enum SipTransport {
  UDP = 'UDP',
  TCP = 'TCP',
  TLS = 'TLS',
}

/**
 * A tenant's connection to the public telephone network. The password stays in clear because
 * Kamailio answers the carrier's digest challenge with it; GraphQL never shows it.
 */
export const SipTrunk = defineEntity({
  name: 'SipTrunk',
  tableName: 'sip_trunk',
  uniques: [{ properties: ['tenant', 'name'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    name: p.string().length(120),
    host: p.string().length(253),
    port: p.integer(),
    transport: p.enum(() => SipTransport),
    username: p.string().length(120).nullable(),
    password: p.string().length(200).nullable(),
    /** Addresses or CIDR ranges (IPv4 or IPv6) the carrier sends calls from. */
    allowedSources: p.json<string[]>(),
    /** E.164 number presented on outbound calls when nothing more specific applies. */
    callerIdDefault: p.string().length(20).nullable(),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type SipTrunk = InferEntity<typeof SipTrunk>;

/** A phone number a trunk carries, and the campaign its calls go to. Unique across the platform. */
export const Did = defineEntity({
  name: 'Did',
  tableName: 'did',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    /** E.164, e.g. +15145550100. */
    number: p.string().length(20).unique(),
    trunk: () => p.manyToOne(SipTrunk).deleteRule('cascade'),
    campaign: () => p.manyToOne(Campaign).nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Did = InferEntity<typeof Did>;
