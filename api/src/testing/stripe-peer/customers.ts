/** Customers, and the two hosted pages billing sends them to: Checkout and the billing portal. */
import { list, need, newId, StripeError, subscriptionItem, type Json, type PeerState } from './state.js';
import type { Handlers } from './handlers.js';

export const customerHandlers: Handlers = {
  'POST customers': (s, p) => {
    const customer = { id: newId('cus'), object: 'customer', name: p.name ?? null, metadata: p.metadata ?? {} };
    s.customers.set(customer.id, customer);
    return customer;
  },
  'POST checkout': (s, p) => {
    need(s.customers.get(p.customer), 'customer');
    if (p.mode !== 'subscription') throw new StripeError(400, 'invalid_request_error', 'mode must be subscription here');
    for (const li of p.line_items as Json[]) need(s.prices.get(li.price), `price: ${li.price}`);
    const session = { id: newId('cs'), object: 'checkout.session', mode: p.mode, customer: p.customer, client_reference_id: p.client_reference_id, status: 'open', subscription: null, url: '', line_items: p.line_items, subscription_data: p.subscription_data };
    session.url = `https://checkout.stripe.test/c/pay/${session.id}`;
    s.sessions.set(session.id, session);
    return session;
  },
  'POST billing_portal': (s, p) => {
    need(s.customers.get(p.customer), 'customer');
    return { id: newId('bps'), object: 'billing_portal.session', customer: p.customer, return_url: p.return_url ?? null, url: `https://billing.stripe.test/p/session/${newId('x')}` };
  },
};

/** What Stripe does when the customer pays a Checkout session: a subscription from its items. */
export function completeCheckout(s: PeerState, sessionId: string, periodEnd: number): { session: Json; subscription: Json } {
  const session = need(s.sessions.get(sessionId), 'checkout session');
  const subscription = {
    id: newId('sub'),
    object: 'subscription',
    customer: session.customer,
    status: 'active',
    cancel_at_period_end: false,
    metadata: session.subscription_data?.metadata ?? {},
    created: periodEnd - 30 * 86400,
    items: list((session.line_items as Json[]).map((li) => subscriptionItem(s.prices.get(li.price)!, Number(li.quantity), periodEnd)), '/v1/subscription_items'),
  };
  s.subscriptions.set(subscription.id, subscription);
  Object.assign(session, { status: 'complete', subscription: subscription.id });
  return { session, subscription };
}
