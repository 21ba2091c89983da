import type Stripe from 'stripe';
import { LicenceStatus } from '../licensing/index.js';
import { termsFromItems, type BillableTerms } from './catalogue.js';

/** What a Stripe subscription says the tenant paid for. */
export interface SubscriptionState {
  subscriptionId: string;
  status: Stripe.Subscription.Status;
  /** null when the subscription holds no agent seats (nothing to license). */
  terms: BillableTerms | null;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
  /** The licence standing it implies, or null when it implies none (first payment still pending). */
  standing: LicenceStatus | null;
}

/** Subscription statuses after which service has ended; the licence stays, new sign-ins stop. */
const ENDED: ReadonlySet<string> = new Set(['canceled', 'unpaid', 'incomplete_expired', 'paused']);

export function deriveState(sub: Stripe.Subscription): SubscriptionState {
  const items = sub.items?.data ?? [];
  const ends = items.map((i) => i.current_period_end).filter((n): n is number => typeof n === 'number');
  return {
    subscriptionId: sub.id,
    status: sub.status,
    terms: termsFromItems(items.map((i) => ({ lookupKey: i.price?.lookup_key, quantity: i.quantity ?? 1 }))),
    cancelAtPeriodEnd: !!sub.cancel_at_period_end,
    currentPeriodEnd: ends.length ? new Date(Math.min(...ends) * 1000) : null,
    standing:
      sub.status === 'active' || sub.status === 'trialing'
        ? LicenceStatus.ACTIVE
        : sub.status === 'past_due'
          ? LicenceStatus.GRACE
          : ENDED.has(sub.status)
            ? LicenceStatus.SUSPENDED
            : null,
  };
}

export const isEnded = (status: string | null | undefined) => !!status && ENDED.has(status);
