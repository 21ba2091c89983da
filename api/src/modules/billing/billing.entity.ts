import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';

/**
 * A tenant's link to Stripe. The Stripe ids never appear in a public GraphQL type. The *StateAt
 * columns hold the creation time of the newest Stripe event applied, so an older event delivered
 * late never overwrites newer state.
 */
export const BillingAccount = defineEntity({
  name: 'BillingAccount',
  tableName: 'billing_account',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant).unique(),
    stripeCustomerId: p.string().length(255).unique(),
    stripeSubscriptionId: p.string().length(255).nullable().unique(),
    /** Stripe's subscription status (active, past_due, canceled, ...), as last applied. */
    subscriptionStatus: p.string().length(40).nullable(),
    cancelAtPeriodEnd: p.boolean().default(false),
    currentPeriodEnd: p.datetime().nullable(),
    subscriptionStateAt: p.datetime().nullable(),
    paymentStateAt: p.datetime().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type BillingAccount = InferEntity<typeof BillingAccount>;

export enum BillingEventOutcome {
  APPLIED = 'APPLIED',
  /** Older than state already applied (out-of-order delivery). */
  STALE = 'STALE',
  /** A type billing does not act on, or an unknown customer. */
  IGNORED = 'IGNORED',
  /** Stripe's state breaks the tenant's licence policy; the licence was left as it was. */
  REJECTED = 'REJECTED',
}

/** Every Stripe event received, once by its id: a replay finds its row and does nothing. */
export const BillingEvent = defineEntity({
  name: 'BillingEvent',
  tableName: 'billing_event',
  properties: {
    id: p.string().length(255).primary(),
    type: p.string().length(100),
    tenant: () => p.manyToOne(Tenant).nullable(),
    /** When Stripe created the event. */
    createdAt: p.datetime(),
    receivedAt: p.datetime().onCreate(() => new Date()),
    outcome: p.enum(() => BillingEventOutcome),
    note: p.text().nullable(),
  },
});
export type BillingEvent = InferEntity<typeof BillingEvent>;
