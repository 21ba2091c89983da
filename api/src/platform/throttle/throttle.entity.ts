import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One throttled key (a source address, an account, a widget key...): hits in the current window
 * and, once over the limit, a block that doubles with each strike. Rows are written only by the
 * `throttle_take` function (migration `throttle`) and deleted once `expiresAt` passes.
 */
export const ThrottleRow = defineEntity({
  name: 'ThrottleRow',
  tableName: 'throttle',
  properties: {
    key: p.string().length(200).primary(),
    hits: p.integer(),
    windowStart: p.datetime(),
    strikes: p.integer().default(0),
    blockedUntil: p.datetime().nullable(),
    expiresAt: p.datetime().index(),
  },
});
export type ThrottleRow = InferEntity<typeof ThrottleRow>;
