import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * Licence rules as data (DOMAIN.md "Licences"). The presets CLOUD, ON_PREMISES and UCONTACT are
 * inserted by a migration; the operator assigns one to each tenant.
 */
export const LicencePolicy = defineEntity({
  name: 'LicencePolicy',
  tableName: 'licence_policy',
  properties: {
    key: p.string().length(40).primary(),
    name: p.string().length(200),
    minSeats: p.integer(),
    seatStep: p.integer(),
    /** Shortest commitment in months; 1 means month to month. */
    minTermMonths: p.integer(),
    channelsPerSeat: p.integer(),
    /** PBX users may be bought (only ever for CLOUD tenants as well). */
    allowsPbxUsers: p.boolean(),
  },
});
export type LicencePolicy = InferEntity<typeof LicencePolicy>;
