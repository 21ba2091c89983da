/** For the billing tests (and the billing portal example's): a test API wired to a Stripe peer, signed webhook delivery, a subscribed tenant. */
import Stripe from 'stripe';
import { ManualClock } from '../platform/clock.js';
import { startTestApi, type TestApi } from './harness.js';
import { createTenant, type TenantFixture } from './fixtures.js';
import { startStripePeer, type StripePeer } from './stripe-peer/index.js';

export const WEBHOOK_SECRET = 'whsec_switchboard_test_secret';
export const GRACE_DAYS = 3;
export const START = new Date('2026-11-22T00:00:00Z');
/** Stripe's time in seconds, kept near the test clock. */
export const sec = (d: Date) => Math.floor(d.getTime() / 1000);

export interface Kit {
  api: TestApi;
  peer: StripePeer;
  clock: ManualClock;
  stop(): Promise<void>;
}

export async function startKit(): Promise<Kit> {
  const peer = await startStripePeer();
  peer.seedCatalogue();
  const clock = new ManualClock(START);
  const api = await startTestApi({
    clock,
    config: { stripeSecretKey: 'sk_test_switchboard', stripeWebhookSecret: WEBHOOK_SECRET, stripeApiBase: peer.url, billingGraceDays: GRACE_DAYS },
  });
  return { api, peer, clock, stop: async () => (await api.stop(), await peer.stop()) };
}

let eventSeq = 0;
export function stripeEvent(type: string, object: unknown, created: number) {
  return { id: `evt_test_${++eventSeq}_${Date.now().toString(36)}`, object: 'event', api_version: '2026-10-28.endive', created, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object } };
}

/** POSTs an event to /webhooks/stripe signed with `secret` (the right one unless told otherwise). */
export async function deliver(api: TestApi, event: object, options: { secret?: string; body?: string } = {}) {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? WEBHOOK_SECRET });
  const response = await fetch(`${api.url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: options.body ?? payload,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const CHECKOUT = 'mutation($plan: BillingPlanInput!) { startBillingCheckout(plan: $plan) { url } }';

/** A tenant that bought `plan` through Checkout, with the completion webhook delivered. */
export async function subscribedTenant(kit: Kit, plan: Record<string, unknown>): Promise<TenantFixture & { subscriptionId: string; customerId: string }> {
  const t = await createTenant(kit.api);
  const { url } = (await kit.api.ok(CHECKOUT, { plan }, t.adminToken)).startBillingCheckout;
  const sessionId = url.split('/').pop()!;
  const { session, subscription } = kit.peer.completeCheckout(sessionId, sec(kit.clock.now()) + 15 * 86400);
  const r = await deliver(kit.api, stripeEvent('checkout.session.completed', session, sec(kit.clock.now())));
  if (r.status !== 200) throw new Error(`checkout webhook answered ${r.status}`);
  return { ...t, subscriptionId: subscription.id, customerId: session.customer };
}
