import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi } from '../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../testing/fixtures.js';
import { CHECKOUT, deliver, sec, startKit, stripeEvent, subscribedTenant, type Kit } from '../../testing/billing-kit.js';
import { reconcileBilling } from './reconcile.js';

const PLAN = 'plan seatsLicensed cancelAtPeriodEnd licenceStatus addOns { aiConnection chatbotLicences advancedReports }';
const SEATS = `mutation($seats: Int!) { changeBillingSeats(seats: $seats) { ${PLAN} } }`;
const ADD_ONS = `mutation($addOns: BillingAddOnsInput!) { setBillingAddOns(addOns: $addOns) { ${PLAN} } }`;

describe('billing: self-service', () => {
  let kit: Kit;
  before(async () => {
    kit = await startKit();
  });
  after(() => kit.stop());

  const lookupOf = (priceId: string) => kit.peer.prices.get(priceId)!.lookup_key;
  const itemsOf = (subscriptionId: string) =>
    Object.fromEntries(kit.peer.subscriptions.get(subscriptionId)!.items.data.map((i: { price: { lookup_key: string }; quantity: number }) => [i.price.lookup_key, i.quantity]));

  it('lets only administrators touch billing', async () => {
    const t = await subscribedTenant(kit, { kind: 'VOICE', seats: 5 });
    const [sup] = await createUsers(kit.api, t.adminToken, 'SUPERVISOR', 1);
    const [agent] = await createUsers(kit.api, t.adminToken, 'AGENT', 1);
    kit.peer.take();
    for (const u of [sup, agent]) {
      const token = await signIn(kit.api, u.email, u.password, t.slug);
      for (const op of [SEATS, '{ billing { plan } }', 'mutation { cancelBilling { plan } }', 'mutation { openBillingPortal { url } }']) {
        assert.equal(codeOf(await kit.api.gql(op, { seats: 9 }, token)), 'FORBIDDEN', op);
      }
    }
    const { secret } = (await kit.api.ok('mutation { createApiKey(input: { name: "crm", scopes: [LICENCE_READ] }) { secret } }', {}, t.adminToken)).createApiKey;
    assert.equal(codeOf(await kit.api.gql(SEATS, { seats: 9 }, secret)), 'FORBIDDEN');
    assert.equal(codeOf(await kit.api.gql(SEATS, { seats: 9 }, kit.api.operatorToken)), 'FORBIDDEN');
    assert.deepEqual(kit.peer.take(), []);
    assert.equal(itemsOf(t.subscriptionId).switchboard_voice_agent_monthly, 5);
  });

  it('quotes, changes seats with proration, adds add-ons and upgrades to OMNI, each after the licence rules', async () => {
    const { api, peer } = kit;
    const t = await subscribedTenant(kit, { kind: 'VOICE', seats: 5 });
    peer.take();
    const quote = await api.ok('query($plan: BillingPlanInput!) { billingQuote(plan: $plan) { valid monthlyAmount prorationAmount lines { item quantity amount } } }', { plan: { kind: 'VOICE', seats: 8 } }, t.adminToken);
    assert.deepEqual(quote.billingQuote, { valid: true, monthlyAmount: 8 * 2900, prorationAmount: (3 * 2900) / 2, lines: [{ item: 'VOICE_AGENT', quantity: 8, amount: 8 * 2900 }] });
    const previewed = peer.take().find((r) => r.path === '/v1/invoices/create_preview')!;
    assert.deepEqual(previewed.params.subscription_details, { items: [{ id: peer.subscriptions.get(t.subscriptionId)!.items.data[0].id, quantity: '8' }], proration_behavior: 'create_prorations' });

    // a double click: the same change twice at once is one change in Stripe (one idempotency key)
    const [a, b] = await Promise.all([api.ok(SEATS, { seats: 8 }, t.adminToken), api.ok(SEATS, { seats: 8 }, t.adminToken)]);
    assert.equal(a.changeBillingSeats.seatsLicensed, 8);
    assert.equal(b.changeBillingSeats.seatsLicensed, 8);
    const updates = peer.take().filter((r) => r.method === 'POST');
    // the second either sent the same request (replayed by Stripe) or found Stripe already changed
    assert.ok(updates.length >= 1 && updates.length <= 2, `${updates.length} updates`);
    assert.equal(new Set(updates.map((u) => u.idempotencyKey)).size, 1);
    assert.equal(updates[0].params.proration_behavior, 'create_prorations');
    assert.deepEqual(itemsOf(t.subscriptionId), { switchboard_voice_agent_monthly: 8 });
    assert.equal((await api.ok('{ licence { seats } }', {}, t.adminToken)).licence.seats, 8);

    // refused by the rules before Stripe is asked anything that changes
    assert.equal(codeOf(await api.gql(SEATS, { seats: 4 }, t.adminToken)), 'LICENCE_POLICY_VIOLATION');
    const omniOnly = await api.gql(ADD_ONS, { addOns: { aiConnection: true } }, t.adminToken);
    assert.equal(codeOf(omniOnly), 'LICENCE_POLICY_VIOLATION');
    assert.deepEqual((omniOnly.errors![0].extensions!.violations as { rule: string }[]).map((v) => v.rule), ['OMNI_REQUIRED']);
    assert.deepEqual(peer.take().filter((r) => r.method === 'POST'), []);

    const up = await api.ok(`mutation { upgradeBillingToOmni { ${PLAN} } }`, {}, t.adminToken);
    assert.equal(up.upgradeBillingToOmni.plan, 'OMNI');
    const upgrade = peer.take().find((r) => r.method === 'POST')!;
    assert.deepEqual(upgrade.params.items.map((i: Record<string, string>) => (i.deleted ? 'deleted' : `${lookupOf(i.price)} x${i.quantity}`)), ['deleted', 'switchboard_omni_agent_monthly x8']);
    assert.equal(codeOf(await api.gql('mutation { upgradeBillingToOmni { plan } }', {}, t.adminToken)), 'CONFLICT');

    const added = await api.ok(ADD_ONS, { addOns: { aiConnection: true, chatbotLicences: 2, advancedReports: true } }, t.adminToken);
    assert.deepEqual(added.setBillingAddOns.addOns, { aiConnection: true, chatbotLicences: 2, advancedReports: true });
    assert.deepEqual(itemsOf(t.subscriptionId), {
      switchboard_omni_agent_monthly: 8, switchboard_advanced_reports_monthly: 1, switchboard_ai_connection_monthly: 1, switchboard_chatbot_licence_monthly: 2,
    });
    const removed = await api.ok(ADD_ONS, { addOns: { advancedReports: false } }, t.adminToken);
    assert.equal(removed.setBillingAddOns.addOns.advancedReports, false);
    assert.equal(itemsOf(t.subscriptionId).switchboard_advanced_reports_monthly, undefined);
    // PBX users are cloud only: an on-premises tenant would be refused by the same rules
    assert.deepEqual(peer.problems, []);
  });

  it('cancels at the end of the paid period, keeps service until then, and undoes the cancellation', async () => {
    const { api, peer } = kit;
    const t = await subscribedTenant(kit, { kind: 'OMNI', seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    peer.take();
    const cancelled = await api.ok(`mutation { cancelBilling { ${PLAN} currentPeriodEnd } }`, {}, t.adminToken);
    assert.equal(cancelled.cancelBilling.cancelAtPeriodEnd, true);
    assert.equal(cancelled.cancelBilling.licenceStatus, 'ACTIVE');
    assert.equal(peer.subscriptions.get(t.subscriptionId)!.cancel_at_period_end, true);
    await signIn(api, agent.email, agent.password, t.slug); // service continues
    const { billing } = await api.ok('{ billing { nextInvoice { amountDue } } }', {}, t.adminToken);
    assert.equal(billing.nextInvoice, null, 'nothing more will be invoiced');
    const resumed = await api.ok(`mutation { resumeBilling { ${PLAN} } }`, {}, t.adminToken);
    assert.equal(resumed.resumeBilling.cancelAtPeriodEnd, false);
    const again = await api.ok(`mutation { cancelBilling { ${PLAN} } }`, {}, t.adminToken);
    assert.equal(again.cancelBilling.cancelAtPeriodEnd, true);
    const posts = peer.take().filter((r) => r.method === 'POST' && r.path.startsWith('/v1/subscriptions/'));
    assert.deepEqual(posts.map((r) => r.params), [{ cancel_at_period_end: 'true' }, { cancel_at_period_end: 'false' }, { cancel_at_period_end: 'true' }]);
    assert.equal(new Set(posts.map((r) => r.idempotencyKey)).size, 3, 'a second cancellation is a new request, not a replay');
    assert.equal(codeOf(await api.gql(CHECKOUT, { plan: { kind: 'OMNI', seats: 5 } }, t.adminToken)), 'CONFLICT');
  });

  it('shows invoices with hosted links and the next invoice, and opens the portal', async () => {
    const { api, peer, clock } = kit;
    const t = await subscribedTenant(kit, { kind: 'VOICE', seats: 6 });
    peer.invoices.push({
      id: 'in_test_1', object: 'invoice', customer: t.customerId, number: 'SB-0001', status: 'paid', amount_due: 17400, amount_paid: 17400,
      currency: 'usd', created: sec(clock.now()), hosted_invoice_url: 'https://invoice.stripe.test/i/1', invoice_pdf: 'https://invoice.stripe.test/i/1.pdf',
    });
    const { billing } = await api.ok('{ billing { nextInvoice { amountDue currency date } invoices { number status amountDue amountPaid hostedInvoiceUrl pdfUrl } } }', {}, t.adminToken);
    assert.equal(billing.nextInvoice.amountDue, 6 * 2900);
    assert.deepEqual(billing.invoices, [{ number: 'SB-0001', status: 'paid', amountDue: 17400, amountPaid: 17400, hostedInvoiceUrl: 'https://invoice.stripe.test/i/1', pdfUrl: 'https://invoice.stripe.test/i/1.pdf' }]);
    peer.take();
    const { openBillingPortal } = await api.ok('mutation { openBillingPortal { url } }', {}, t.adminToken);
    assert.match(openBillingPortal.url, /^https:\/\/billing\.stripe\.test\/p\/session\//);
    const [portal] = peer.take();
    assert.deepEqual(portal.params.customer, t.customerId);
    // a tenant that never bought has no portal yet
    const fresh = await createTenant(api);
    assert.equal(codeOf(await api.gql('mutation { openBillingPortal { url } }', {}, fresh.adminToken)), 'CONFLICT');
    assert.deepEqual(peer.problems, []);
  });

  it('reconciles licences with Stripe after missed webhooks, and logs what it changed', async () => {
    const { api, peer, clock } = kit;
    const t = await subscribedTenant(kit, { kind: 'VOICE', seats: 5 });
    // a missed checkout.session.completed: paid in Stripe, never told
    const missed = await createTenant(api);
    const { url } = (await api.ok(CHECKOUT, { plan: { kind: 'OMNI', seats: 10 } }, missed.adminToken)).startBillingCheckout;
    peer.completeCheckout(url.split('/').pop()!, sec(clock.now()) + 30 * 86400);
    // a missed customer.subscription.updated (seats raised in the Stripe dashboard)
    peer.setItems(t.subscriptionId, { switchboard_voice_agent_monthly: 12 });
    clock.advance(60_000);
    const report = await reconcileBilling(api.running.app);
    assert.deepEqual(report.failures, []);
    const seatChanges = report.changes.filter((c) => c.field === 'licence.seats');
    assert.deepEqual(seatChanges.map((c) => [c.tenantId, c.from, c.to]).sort(), [[missed.id, undefined, 10], [t.id, 5, 12]].sort());
    assert.equal((await api.ok('{ licence { seats } }', {}, t.adminToken)).licence.seats, 12);
    assert.deepEqual((await api.ok('{ billing { status plan seatsLicensed } }', {}, missed.adminToken)).billing, { status: 'ACTIVE', plan: 'OMNI', seatsLicensed: 10 });
    const second = await reconcileBilling(api.running.app);
    assert.deepEqual(second.changes, [], 'nothing drifts twice');
    // a webhook older than what reconciliation read is stale
    const old = stripeEvent('customer.subscription.updated', peer.setItems(t.subscriptionId, { switchboard_voice_agent_monthly: 6 }), sec(clock.now()) - 30);
    assert.equal((await deliver(api, old)).body.outcome, 'STALE');
    assert.deepEqual(peer.problems, []);
  });
});

describe('billing: without Stripe configured', () => {
  it('answers BILLING_NOT_CONFIGURED and the rest of the platform runs', async () => {
    const api = await startTestApi();
    try {
      const t = await createTenant(api, { seats: 5, kind: 'VOICE' });
      const { billing } = await api.ok('{ billing { configured status plan seatsLicensed invoices { number } nextInvoice { amountDue } } }', {}, t.adminToken);
      assert.deepEqual(billing, { configured: false, status: 'NONE', plan: 'VOICE', seatsLicensed: 5, invoices: [], nextInvoice: null });
      assert.equal(codeOf(await api.gql(CHECKOUT, { plan: { kind: 'VOICE', seats: 5 } }, t.adminToken)), 'BILLING_NOT_CONFIGURED');
      assert.equal(codeOf(await api.gql(SEATS, { seats: 6 }, t.adminToken)), 'BILLING_NOT_CONFIGURED');
      const hook = await fetch(`${api.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(hook.status, 503);
      assert.equal((await reconcileBilling(api.running.app)).checked, 0);
    } finally {
      await api.stop();
    }
  });
});
