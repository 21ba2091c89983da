import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import type { App } from '../../platform/context.js';
import { platformEm } from '../../platform/db/orm.js';
import { isUuid } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { BillingAccount, BillingEvent, BillingEventOutcome } from './billing.entity.js';
import { callStripe } from './stripe.js';
import { accountByCustomer, applyPayment, applySubscription, linkAccount, type ApplyOutcome } from './sync.js';

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/** The tenant an event is about: its subscription's metadata, else its customer's billing account. */
async function tenantOf(app: App, customer: string | null, metadataTenant?: string | null): Promise<string | null> {
  const em = platformEm(app.orm);
  if (customer) {
    const account = await accountByCustomer(em, customer);
    if (account) return account.tenant.id;
  }
  if (metadataTenant && isUuid(metadataTenant) && customer) {
    const tenant = await em.findOne(Tenant, { id: metadataTenant });
    if (tenant) {
      await linkAccount(em, tenant.id, customer);
      return tenant.id;
    }
  }
  return null;
}

interface Handled {
  outcome: BillingEventOutcome;
  tenantId: string | null;
  note?: string;
}

const fromApply = (tenantId: string, r: ApplyOutcome): Handled =>
  r.applied
    ? { outcome: BillingEventOutcome.APPLIED, tenantId, note: r.changes.length ? `${r.changes.length} changes` : 'no change' }
    : { outcome: r.reason === 'STALE' ? BillingEventOutcome.STALE : BillingEventOutcome.REJECTED, tenantId, note: r.note };

async function handle(app: App, event: Stripe.Event): Promise<Handled> {
  const createdAt = new Date(event.created * 1000);
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      const tenantId = session.client_reference_id;
      const customer = idOf(session.customer);
      const subscription = idOf(session.subscription);
      if (session.mode !== 'subscription' || !tenantId || !isUuid(tenantId) || !customer || !subscription) {
        return { outcome: BillingEventOutcome.IGNORED, tenantId: null, note: 'not a Switchboard subscription checkout' };
      }
      if (!(await platformEm(app.orm).findOne(Tenant, { id: tenantId }))) {
        return { outcome: BillingEventOutcome.IGNORED, tenantId: null, note: 'unknown tenant' };
      }
      await linkAccount(platformEm(app.orm), tenantId, customer, subscription);
      // The session does not carry the subscription's items: read the subscription as it is now.
      const sub = await callStripe(app, 'read the subscription', (s) => s.subscriptions.retrieve(subscription));
      return fromApply(tenantId, await applySubscription(app, tenantId, sub, createdAt));
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const sub = event.data.object;
      const tenantId = await tenantOf(app, idOf(sub.customer), sub.metadata?.tenant_id);
      if (!tenantId) return { outcome: BillingEventOutcome.IGNORED, tenantId: null, note: 'unknown customer' };
      return fromApply(tenantId, await applySubscription(app, tenantId, sub, createdAt));
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      const tenantId = await tenantOf(app, idOf(invoice.customer));
      if (!tenantId) return { outcome: BillingEventOutcome.IGNORED, tenantId: null, note: 'unknown customer' };
      return fromApply(tenantId, await applyPayment(app, tenantId, event.type === 'invoice.paid', createdAt));
    }
    default:
      return { outcome: BillingEventOutcome.IGNORED, tenantId: null, note: 'event type not used' };
  }
}

/**
 * Handles one verified event once: a replay (same id) finds its row and does nothing. Handling is
 * state-based and ordered by the event's creation time, so a retry after a crash between handling
 * and recording is harmless. A thrown error answers 500 and Stripe delivers again later.
 */
export async function receiveEvent(app: App, event: Stripe.Event): Promise<{ duplicate: boolean; outcome?: BillingEventOutcome }> {
  const em = platformEm(app.orm);
  if (await em.findOne(BillingEvent, { id: event.id })) return { duplicate: true };
  const handled = await handle(app, event);
  const inserted = await em.getConnection().execute<{ id: string }[]>(
    `insert into billing_event (id, type, tenant_id, created_at, received_at, outcome, note) values (?, ?, ?, ?, ?, ?, ?)
     on conflict (id) do nothing returning id`,
    [event.id, event.type, handled.tenantId, new Date(event.created * 1000), new Date(), handled.outcome, handled.note ?? null],
  );
  app.log.info({ eventId: event.id, type: event.type, tenantId: handled.tenantId, outcome: handled.outcome, note: handled.note }, 'Stripe event');
  return { duplicate: inserted.length === 0, outcome: handled.outcome };
}

/** `POST /webhooks/stripe`: the signature is checked on the raw body, before any parsing. */
export async function registerStripeWebhook(fastify: FastifyInstance, app: App): Promise<void> {
  await fastify.register(async (scope) => {
    // Scoped to this plugin: the body stays the exact bytes Stripe signed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/stripe', async (request, reply) => {
      const secret = app.config.stripeWebhookSecret;
      if (!secret) return reply.code(503).send({ error: 'BILLING_NOT_CONFIGURED', message: 'STRIPE_WEBHOOK_SECRET is unset' });
      const signature = request.headers['stripe-signature'];
      let event: Stripe.Event;
      try {
        if (typeof signature !== 'string' || !Buffer.isBuffer(request.body)) throw new Error('missing signature or body');
        event = Stripe.webhooks.constructEvent(request.body, signature, secret);
      } catch (err) {
        request.log.warn({ err: (err as Error).message }, 'Stripe webhook refused: bad signature');
        return reply.code(400).send({ error: 'BAD_SIGNATURE', message: 'The Stripe-Signature header does not match the body' });
      }
      const result = await receiveEvent(app, event);
      return reply.send({ received: true, ...result });
    });
  });
}

