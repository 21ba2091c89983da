import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { checkTerms, Licence, LicenceKind, seatsInUse } from '../licensing/index.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { BillingAccount } from './billing.entity.js';
import { CURRENCY, itemByLookupKey, itemsFor, monthlyTotal, termsFromItems, type BillableTerms } from './catalogue.js';
import type { BillingAddOnsInput, BillingPlanInput } from './billing.input.js';
import { BillingStatus, type BillingInvoiceEstimateType, type BillingInvoiceType, type BillingQuoteType, type BillingType } from './billing.type.js';
import { callStripe, catalogPriceIds, idempotencyKey, stripeFor } from './stripe.js';
import { applySubscription, linkAccount } from './sync.js';


const STATUS: Record<string, BillingStatus> = {
  incomplete: BillingStatus.INCOMPLETE,
  incomplete_expired: BillingStatus.CANCELED,
  trialing: BillingStatus.TRIALING,
  active: BillingStatus.ACTIVE,
  past_due: BillingStatus.PAST_DUE,
  unpaid: BillingStatus.UNPAID,
  paused: BillingStatus.PAUSED,
  canceled: BillingStatus.CANCELED,
};

const termsOf = (l: Licence): BillableTerms => ({
  kind: l.kind,
  seats: l.seats,
  advancedReports: l.advancedReports,
  aiConnection: l.aiConnection,
  support247: l.support247,
  pbxUsers: l.pbxUsers,
  chatbotLicences: l.chatbotLicences,
});

export async function billingView(app: App, em: Em, tenantId: string): Promise<BillingType> {
  const [account, licence] = await Promise.all([
    em.findOne(BillingAccount, { tenant: tenantId }),
    em.findOne(Licence, { tenant: tenantId }),
  ]);
  return {
    tenantId,
    configured: !!app.config.stripeSecretKey,
    status: (account?.subscriptionStatus && STATUS[account.subscriptionStatus]) || BillingStatus.NONE,
    plan: licence?.kind ?? null,
    seatsLicensed: licence?.seats ?? 0,
    seatsUsed: await seatsInUse(em, tenantId),
    addOns: licence ? { ...termsOf(licence) } : null,
    licenceStatus: licence?.status ?? null,
    graceEndsAt: licence?.graceEndsAt ?? null,
    currentPeriodEnd: account?.currentPeriodEnd ?? null,
    cancelAtPeriodEnd: account?.cancelAtPeriodEnd ?? false,
    monthlyAmount: licence ? monthlyTotal(termsOf(licence)) : 0,
    currency: CURRENCY,
  };
}

export async function listInvoices(app: App, em: Em, tenantId: string, first: number): Promise<BillingInvoiceType[]> {
  const account = await em.findOne(BillingAccount, { tenant: tenantId });
  if (!account) return [];
  const invoices = await callStripe(app, 'list invoices', (s) => s.invoices.list({ customer: account.stripeCustomerId, limit: first }));
  return invoices.data.map((i) => ({
    number: i.number ?? null,
    status: i.status ?? 'draft',
    amountDue: i.amount_due,
    amountPaid: i.amount_paid,
    currency: i.currency,
    createdAt: new Date(i.created * 1000),
    hostedInvoiceUrl: i.hosted_invoice_url ?? null,
    pdfUrl: i.invoice_pdf ?? null,
  }));
}

export async function nextInvoice(app: App, em: Em, tenantId: string): Promise<BillingInvoiceEstimateType | null> {
  const account = await em.findOne(BillingAccount, { tenant: tenantId });
  if (!account?.stripeSubscriptionId || account.subscriptionStatus === 'canceled' || account.cancelAtPeriodEnd) return null;
  const preview = await callStripe(app, 'estimate the next invoice', (s) =>
    s.invoices.createPreview(
      { customer: account.stripeCustomerId, subscription: account.stripeSubscriptionId! },
      { idempotencyKey: idempotencyKey('preview', tenantId, randomUUID()) },
    ),
  );
  return {
    amountDue: preview.amount_due,
    currency: preview.currency,
    date: preview.next_payment_attempt ? new Date(preview.next_payment_attempt * 1000) : null,
  };
}

/** Applies the licence rules; throws LICENCE_POLICY_VIOLATION with every broken rule. */
async function assertAllowed(em: Em, tenantId: string, terms: BillableTerms): Promise<void> {
  const licence = await em.findOne(Licence, { tenant: tenantId });
  const tenant = await em.findOneOrFail(Tenant, { id: tenantId }, { populate: ['licencePolicy'] });
  const check = await checkTerms(em, tenantId, { ...terms, termMonths: licence?.termMonths ?? tenant.licencePolicy.minTermMonths });
  if (!check.valid) {
    throw new AppError(ErrorCode.LICENCE_POLICY_VIOLATION, check.violations.map((v) => v.message).join('; '), { violations: check.violations });
  }
}

async function activeAccount(em: Em, tenantId: string) {
  const account = await em.findOne(BillingAccount, { tenant: tenantId });
  if (!account?.stripeSubscriptionId || account.subscriptionStatus === 'canceled' || account.subscriptionStatus === 'incomplete_expired') {
    throw new AppError(ErrorCode.CONFLICT, 'This tenant has no running subscription: start one with Checkout first');
  }
  return account as BillingAccount & { stripeSubscriptionId: string };
}

/** Item changes that turn a subscription's items into the wanted terms. */
async function itemChanges(app: App, sub: Stripe.Subscription, terms: BillableTerms): Promise<Stripe.SubscriptionUpdateParams.Item[]> {
  const prices = await catalogPriceIds(app, app.clock.now().getTime());
  const wanted = new Map(itemsFor(terms).map((l) => [l.item.key, l.quantity]));
  const changes: Stripe.SubscriptionUpdateParams.Item[] = [];
  const seen = new Set<string>();
  for (const si of sub.items.data) {
    const item = itemByLookupKey(si.price.lookup_key);
    if (!item) continue;
    const quantity = wanted.get(item.key) ?? 0;
    if (quantity === 0 || seen.has(item.key)) changes.push({ id: si.id, deleted: true });
    else if (si.quantity !== quantity) changes.push({ id: si.id, quantity });
    seen.add(item.key);
  }
  for (const [key, quantity] of wanted) if (!seen.has(key)) changes.push({ price: prices.get(key)!, quantity });
  return changes;
}

export async function quote(app: App, em: Em, tenantId: string, plan: BillingPlanInput): Promise<BillingQuoteType> {
  const licence = await em.findOne(Licence, { tenant: tenantId });
  const tenant = await em.findOneOrFail(Tenant, { id: tenantId }, { populate: ['licencePolicy'] });
  const check = await checkTerms(em, tenantId, { ...plan, termMonths: licence?.termMonths ?? tenant.licencePolicy.minTermMonths });
  const lines = itemsFor(plan).map(({ item, quantity }) => ({
    item: item.key,
    name: item.name,
    quantity,
    unitAmount: item.unitAmount,
    amount: item.unitAmount * quantity,
  }));
  let prorationAmount: number | null = null;
  const account = await em.findOne(BillingAccount, { tenant: tenantId });
  if (check.valid && account?.stripeSubscriptionId && account.subscriptionStatus !== 'canceled') {
    const sub = await callStripe(app, 'read the subscription', (s) => s.subscriptions.retrieve(account.stripeSubscriptionId!));
    const items = await itemChanges(app, sub, plan);
    if (items.length) {
      const preview = await callStripe(app, 'preview the change', (s) =>
        s.invoices.createPreview({
          customer: account.stripeCustomerId,
          subscription: sub.id,
          subscription_details: { items, proration_behavior: 'create_prorations' },
        }, { idempotencyKey: idempotencyKey('preview', tenantId, randomUUID()) }),
      );
      prorationAmount = preview.amount_due;
    } else prorationAmount = 0;
  }
  return { valid: check.valid, violations: check.violations, lines, monthlyAmount: monthlyTotal(plan), prorationAmount, currency: CURRENCY };
}

export async function startCheckout(app: App, em: Em, tenantId: string, plan: BillingPlanInput): Promise<string> {
  stripeFor(app);
  await assertAllowed(em, tenantId, plan);
  let account = await em.findOne(BillingAccount, { tenant: tenantId });
  if (account?.stripeSubscriptionId && !['canceled', 'incomplete_expired'].includes(account.subscriptionStatus ?? '')) {
    throw new AppError(ErrorCode.CONFLICT, 'This tenant already has a subscription: change it, or manage it in the billing portal');
  }
  const prices = await catalogPriceIds(app, app.clock.now().getTime());
  if (!account) {
    const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
    const customer = await callStripe(app, 'create the customer', (s) =>
      s.customers.create(
        { name: tenant.name, metadata: { tenant_id: tenantId, tenant_slug: tenant.slug } },
        { idempotencyKey: idempotencyKey('customer', tenantId) },
      ),
    );
    account = await linkAccount(em, tenantId, customer.id);
  }
  const base = app.config.publicUrl ?? 'http://127.0.0.1:4000';
  const session = await callStripe(app, 'start Checkout', (s) =>
    s.checkout.sessions.create(
      {
        mode: 'subscription',
        customer: account.stripeCustomerId,
        client_reference_id: tenantId,
        line_items: itemsFor(plan).map(({ item, quantity }) => ({ price: prices.get(item.key)!, quantity })),
        subscription_data: { metadata: { tenant_id: tenantId } },
        success_url: app.config.billingSuccessUrl ?? `${base}/?billing=success`,
        cancel_url: app.config.billingCancelUrl ?? `${base}/?billing=cancelled`,
      },
      // A new session on every call; the client's own retries of this request reuse the key.
      { idempotencyKey: idempotencyKey('checkout', tenantId, randomUUID()) },
    ),
  );
  if (!session.url) throw new AppError(ErrorCode.BILLING_PROVIDER_ERROR, 'The payment provider returned no Checkout address');
  return session.url;
}

export async function openPortal(app: App, em: Em, tenantId: string): Promise<string> {
  stripeFor(app);
  const account = await em.findOne(BillingAccount, { tenant: tenantId });
  if (!account) throw new AppError(ErrorCode.CONFLICT, 'This tenant has no billing account yet: start with Checkout');
  const session = await callStripe(app, 'open the billing portal', (s) =>
    s.billingPortal.sessions.create(
      { customer: account.stripeCustomerId, return_url: app.config.billingReturnUrl ?? app.config.publicUrl ?? 'http://127.0.0.1:4000/' },
      { idempotencyKey: idempotencyKey('portal', tenantId, randomUUID()) },
    ),
  );
  return session.url;
}

/** Changes the subscription to new terms (prorated) after the licence rules allow them, and applies Stripe's answer. */
async function changePlan(app: App, em: Em, tenantId: string, change: (current: BillableTerms) => BillableTerms): Promise<BillingType> {
  stripeFor(app);
  const account = await activeAccount(em, tenantId);
  const licence = await em.findOne(Licence, { tenant: tenantId });
  const sub = await callStripe(app, 'read the subscription', (s) => s.subscriptions.retrieve(account.stripeSubscriptionId));
  const current = licence ? termsOf(licence) : termsFromItems(sub.items.data.map((i) => ({ lookupKey: i.price.lookup_key, quantity: i.quantity ?? 1 })));
  if (!current) throw new AppError(ErrorCode.CONFLICT, 'The subscription holds no agent seats');
  const wanted = change(current);
  await assertAllowed(em, tenantId, wanted);
  const items = await itemChanges(app, sub, wanted);
  if (items.length) {
    const updated = await callStripe(app, 'change the subscription', (s) =>
      s.subscriptions.update(
        sub.id,
        { items, proration_behavior: 'create_prorations', metadata: { tenant_id: tenantId } },
        { idempotencyKey: idempotencyKey('plan', sub.id, items, licence?.version ?? 0) },
      ),
    );
    await applySubscription(app, tenantId, updated);
  } else {
    // Stripe already holds these terms (e.g. a concurrent identical request got there first):
    // make sure the licence says so too before answering.
    await applySubscription(app, tenantId, sub);
  }
  return billingView(app, em.fork(), tenantId);
}

export const changeSeats = (app: App, em: Em, tenantId: string, seats: number) =>
  changePlan(app, em, tenantId, (c) => ({ ...c, seats }));

export const setAddOns = (app: App, em: Em, tenantId: string, input: BillingAddOnsInput) =>
  changePlan(app, em, tenantId, (c) => ({
    ...c,
    advancedReports: input.advancedReports ?? c.advancedReports,
    aiConnection: input.aiConnection ?? c.aiConnection,
    support247: input.support247 ?? c.support247,
    pbxUsers: input.pbxUsers ?? c.pbxUsers,
    chatbotLicences: input.chatbotLicences ?? c.chatbotLicences,
  }));

export const upgradeToOmni = (app: App, em: Em, tenantId: string) =>
  changePlan(app, em, tenantId, (c) => {
    if (c.kind === LicenceKind.OMNI) throw new AppError(ErrorCode.CONFLICT, 'The licence is already OMNI');
    return { ...c, kind: LicenceKind.OMNI };
  });

/** Cancels at the end of the paid period (service continues until then, no refund), or undoes that. */
export async function setCancelAtPeriodEnd(app: App, em: Em, tenantId: string, cancel: boolean): Promise<BillingType> {
  stripeFor(app);
  const account = await activeAccount(em, tenantId);
  if (account.cancelAtPeriodEnd !== cancel) {
    const updated = await callStripe(app, cancel ? 'cancel the subscription' : 'undo the cancellation', (s) =>
      s.subscriptions.update(
        account.stripeSubscriptionId,
        { cancel_at_period_end: cancel },
        { idempotencyKey: idempotencyKey(cancel ? 'cancel' : 'resume', account.stripeSubscriptionId, account.updatedAt.getTime()) },
      ),
    );
    await applySubscription(app, tenantId, updated);
  }
  return billingView(app, em.fork(), tenantId);
}
