/** Subscriptions (read, changed with prorations, cancelled at period end) and invoices (listed, previewed). */
import { CURRENCY } from '../../modules/billing/catalogue.js';
import { list, need, priceByLookup, StripeError, subscriptionItem, type Json, type PeerState } from './state.js';
import type { Handlers } from './handlers.js';

const monthly = (items: Json[]) => items.reduce((n, i) => n + i.price.unit_amount * i.quantity, 0);

export const subscriptionHandlers: Handlers = {
  'GET subscriptions/:id': (s, _p, id) => need(s.subscriptions.get(id), 'subscription'),
  'GET subscriptions': (s, p) =>
    list([...s.subscriptions.values()].filter((x) => x.customer === p.customer).reverse().slice(0, Number(p.limit ?? 10)), '/v1/subscriptions'),
  'POST subscriptions/:id': (s, p, id) => {
    const sub = need(s.subscriptions.get(id), 'subscription');
    const periodEnd = sub.items.data[0]?.current_period_end ?? 0;
    for (const change of (p.items ?? []) as Json[]) {
      if (change.id) {
        const item = need(sub.items.data.find((i: Json) => i.id === change.id), 'subscription item');
        if (change.deleted === 'true') sub.items.data = sub.items.data.filter((i: Json) => i !== item);
        else if (change.quantity !== undefined) item.quantity = Number(change.quantity);
      } else {
        const price = need(s.prices.get(change.price), `price: ${change.price}`);
        sub.items.data.push(subscriptionItem(price, Number(change.quantity ?? 1), periodEnd));
      }
    }
    if (p.items && p.proration_behavior !== 'create_prorations') throw new StripeError(400, 'invalid_request_error', 'expected prorations');
    if (p.cancel_at_period_end !== undefined) sub.cancel_at_period_end = p.cancel_at_period_end === 'true';
    if (p.metadata) sub.metadata = { ...sub.metadata, ...p.metadata };
    return sub;
  },
  'GET invoices': (s, p) => list(s.invoices.filter((i) => i.customer === p.customer).slice(0, Number(p.limit ?? 10)), '/v1/invoices'),
  // POST /v1/invoices/create_preview
  'POST invoices': (s, p) => {
    const sub = need(s.subscriptions.get(p.subscription), 'subscription');
    let amount = monthly(sub.items.data);
    if (p.subscription_details?.items) {
      // A change previewed: half a month of the difference (the tests' periods are half gone).
      const after = structuredClone(sub.items.data) as Json[];
      for (const c of p.subscription_details.items as Json[]) {
        const item = after.find((i) => i.id === c.id);
        if (c.deleted === 'true') after.splice(after.indexOf(item!), 1);
        else if (item) item.quantity = Number(c.quantity);
        else after.push({ price: need(s.prices.get(c.price), 'price'), quantity: Number(c.quantity ?? 1) });
      }
      amount = Math.round((monthly(after) - amount) / 2);
    }
    return { id: null, object: 'invoice', customer: p.customer, amount_due: amount, currency: CURRENCY, next_payment_attempt: sub.items.data[0]?.current_period_end ?? null, status: 'draft' };
  },
};

/** Sets a subscription's items from lookup key -> quantity (a change made outside Switchboard). */
export function setItems(s: PeerState, subscriptionId: string, quantities: Record<string, number>): Json {
  const sub = need(s.subscriptions.get(subscriptionId), 'subscription');
  const periodEnd = sub.items.data[0].current_period_end;
  sub.items.data = Object.entries(quantities).map(([lookup, q]) => subscriptionItem(priceByLookup(s, lookup)!, q, periodEnd));
  return sub;
}
