/** The Stripe peer's objects (what a Stripe account holds), its ids and its error, shared by the resource handlers. */
export type Json = Record<string, any>;

export class StripeError extends Error {
  constructor(readonly status: number, readonly type: string, message: string, readonly code?: string) {
    super(message);
  }
}

let seq = 0;
/** A Stripe-looking id (`cus_test0000000a`), unique in the process. */
export const newId = (prefix: string) => `${prefix}_test${(++seq).toString(36).padStart(8, '0')}`;
/** Stripe's list envelope (one page: the tests never page). */
export const list = (data: unknown[], url: string) => ({ object: 'list', data, has_more: false, url });

export interface PeerState {
  prices: Map<string, Json>;
  products: Map<string, Json>;
  customers: Map<string, Json>;
  subscriptions: Map<string, Json>;
  sessions: Map<string, Json>;
  invoices: Json[];
}

export function emptyState(): PeerState {
  return { prices: new Map(), products: new Map(), customers: new Map(), subscriptions: new Map(), sessions: new Map(), invoices: [] };
}

/** The object, or Stripe's 404 `resource_missing` naming what was asked for. */
export function need<T>(v: T | undefined, what: string): T {
  if (!v) throw new StripeError(404, 'invalid_request_error', `No such ${what}`, 'resource_missing');
  return v;
}

/** The active price with that lookup key. */
export const priceByLookup = (s: PeerState, key: string) => [...s.prices.values()].find((p) => p.lookup_key === key && p.active);

/** A subscription item for `price`, in a 30-day period ending at `periodEnd` (seconds). */
export const subscriptionItem = (price: Json, quantity: number, periodEnd: number) => ({
  id: newId('si'),
  object: 'subscription_item',
  price,
  quantity,
  current_period_start: periodEnd - 30 * 86400,
  current_period_end: periodEnd,
});
