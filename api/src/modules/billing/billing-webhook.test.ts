import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, wsReady } from '../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../testing/fixtures.js';
import { expireGracePeriods, LICENCE_CHANGED } from '../licensing/index.js';
import { until } from '../../testing/smtp-peer.js';
import { CHECKOUT, GRACE_DAYS, deliver, sec, startKit, stripeEvent, subscribedTenant, type Kit } from '../../testing/billing-kit.js';

const LICENCE = '{ licence { kind seats status graceEndsAt addOns { pbxUsers aiConnection chatbotLicences } } }';
const BILLING = '{ billing { configured status plan seatsLicensed seatsUsed cancelAtPeriodEnd currentPeriodEnd monthlyAmount currency licenceStatus addOns { pbxUsers } } }';
const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }';

describe('billing: Stripe webhooks keep the licence in sync', () => {
  let kit: Kit;
  before(async () => {
    kit = await startKit();
  });
  after(() => kit.stop());

  it('applies the policy before Stripe is called, then licenses what Checkout sold', async () => {
    const { api, peer, clock } = kit;
    const t = await createTenant(api);
    peer.take();
    const quote = await api.ok('query($plan: BillingPlanInput!) { billingQuote(plan: $plan) { valid violations { rule } monthlyAmount prorationAmount } }', { plan: { kind: 'VOICE', seats: 3, chatbotLicences: 1 } }, t.adminToken);
    assert.deepEqual(quote.billingQuote, { valid: false, violations: [{ rule: 'SEATS_MINIMUM' }, { rule: 'OMNI_REQUIRED' }], monthlyAmount: 3 * 2900 + 3000, prorationAmount: null });
    const refused = await api.gql(CHECKOUT, { plan: { kind: 'VOICE', seats: 3 } }, t.adminToken);
    assert.equal(codeOf(refused), 'LICENCE_POLICY_VIOLATION');
    assert.deepEqual(peer.take(), [], 'nothing was sent to Stripe for refused terms');

    // a subscriber sees the licence appear
    const received: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const client = api.ws(t.adminToken);
      client.subscribe<{ licenceChanged: { seats: number } }>({ query: 'subscription { licenceChanged { seats kind } }' }, {
        next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : received.push(m.data!.licenceChanged.seats)),
        error: reject,
        complete: () => {},
      });
      void wsReady(client).then(resolve);
    });
    await api.subscribed(LICENCE_CHANGED, t.id);

    const { url } = (await api.ok(CHECKOUT, { plan: { kind: 'VOICE', seats: 6, pbxUsers: 2 } }, t.adminToken)).startBillingCheckout;
    assert.match(url, /^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_/);
    const sent = peer.take();
    assert.deepEqual(sent.map((r) => `${r.method} ${r.path}`), ['GET /v1/prices', 'POST /v1/customers', 'POST /v1/checkout/sessions']);
    const priceOf = (lookup: string) => [...peer.prices.values()].find((p) => p.lookup_key === lookup)!.id;
    const checkout = sent[2].params;
    assert.deepEqual(checkout.line_items, [
      { price: priceOf('switchboard_voice_agent_monthly'), quantity: '6' },
      { price: priceOf('switchboard_pbx_user_monthly'), quantity: '2' },
    ]);
    assert.equal(checkout.client_reference_id, t.id);
    assert.equal(checkout.mode, 'subscription');
    assert.deepEqual(checkout.subscription_data, { metadata: { tenant_id: t.id } });
    assert.equal(peer.customers.get(sent[1].params.customer ?? checkout.customer)?.metadata.tenant_id, t.id);
    assert.notEqual(sent[1].idempotencyKey, sent[2].idempotencyKey);

    const { session, subscription } = peer.completeCheckout(url.split('/').pop()!, sec(clock.now()) + 20 * 86400);
    const completed = stripeEvent('checkout.session.completed', session, sec(clock.now()));
    const r = await deliver(api, completed);
    assert.deepEqual([r.status, r.body], [200, { received: true, duplicate: false, outcome: 'APPLIED' }]);
    assert.deepEqual(peer.take().map((x) => `${x.method} ${x.path}`), [`GET /v1/subscriptions/${subscription.id}`]);
    const { licence } = await api.ok(LICENCE, {}, t.adminToken);
    assert.deepEqual(licence, { kind: 'VOICE', seats: 6, status: 'ACTIVE', graceEndsAt: null, addOns: { pbxUsers: 2, aiConnection: false, chatbotLicences: 0 } });
    const { billing } = await api.ok(BILLING, {}, t.adminToken);
    assert.deepEqual(billing, {
      configured: true, status: 'ACTIVE', plan: 'VOICE', seatsLicensed: 6, seatsUsed: 0, cancelAtPeriodEnd: false,
      currentPeriodEnd: new Date((sec(clock.now()) + 20 * 86400) * 1000).toISOString(), monthlyAmount: 6 * 2900 + 2 * 500,
      currency: 'usd', licenceStatus: 'ACTIVE', addOns: { pbxUsers: 2 },
    });
    for (let i = 0; i < 250 && received.length === 0; i++) await new Promise((res) => setTimeout(res, 20));
    assert.deepEqual(received, [6]);

    // a replay of the same event is a no-op: nothing asked of Stripe, nothing published
    const replay = await deliver(api, completed);
    assert.deepEqual([replay.status, replay.body], [200, { received: true, duplicate: true }]);
    assert.deepEqual(peer.take(), []);
    // positive control: the next licence event the subscriber hears is the next real change
    const grown = peer.setItems(subscription.id, { switchboard_voice_agent_monthly: 7, switchboard_pbx_user_monthly: 2 });
    assert.equal((await deliver(api, stripeEvent('customer.subscription.updated', grown, sec(clock.now()) + 60))).body.outcome, 'APPLIED');
    await until(() => received.length >= 2);
    assert.deepEqual(received, [6, 7], 'the replay published nothing');
    assert.deepEqual(peer.problems, []);
  });

  it('refuses forged signatures and changes nothing', async () => {
    const { api, peer, clock } = kit;
    const t = await subscribedTenant(kit, { kind: 'OMNI', seats: 5 });
    const sub = peer.setItems(t.subscriptionId, { switchboard_omni_agent_monthly: 50 });
    const event = stripeEvent('customer.subscription.updated', sub, sec(clock.now()) + 60);
    const forged = await deliver(api, event, { secret: 'whsec_not_the_secret' });
    assert.equal(forged.status, 400);
    // a valid signature over other bytes: the body was altered on the way
    const tampered = await deliver(api, stripeEvent('customer.subscription.updated', { ...sub, status: 'canceled' }, 1), { body: JSON.stringify(event) });
    assert.equal(tampered.status, 400);
    const unsigned = await fetch(`${api.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    assert.equal(unsigned.status, 400);
    assert.equal((await api.ok(LICENCE, {}, t.adminToken)).licence.seats, 5);
    // the genuine delivery of that event is then applied (it was never recorded)
    assert.equal((await deliver(api, event)).body.outcome, 'APPLIED');
    assert.equal((await api.ok(LICENCE, {}, t.adminToken)).licence.seats, 50);
  });

  it('never lets an older subscription state overwrite a newer one', async () => {
    const { api, peer, clock } = kit;
    const t = await subscribedTenant(kit, { kind: 'VOICE', seats: 5 });
    const now = sec(clock.now());
    const older = stripeEvent('customer.subscription.updated', structuredClone(peer.setItems(t.subscriptionId, { switchboard_voice_agent_monthly: 8 })), now + 10);
    const newer = stripeEvent('customer.subscription.updated', structuredClone(peer.setItems(t.subscriptionId, { switchboard_voice_agent_monthly: 9, switchboard_advanced_reports_monthly: 1 })), now + 20);
    assert.equal((await deliver(api, newer)).body.outcome, 'APPLIED');
    assert.equal((await deliver(api, older)).body.outcome, 'STALE');
    const { licence } = await api.ok('{ licence { seats addOns { advancedReports } } }', {}, t.adminToken);
    assert.deepEqual(licence, { seats: 9, addOns: { advancedReports: true } });
  });

  it('starts a grace period on a failed payment, then blocks new agent sign-ins, and a paid invoice lifts it', async () => {
    const { api, clock } = kit;
    const t = await subscribedTenant(kit, { kind: 'VOICE', seats: 5 });
    const agents = await createUsers(api, t.adminToken, 'AGENT', 2);
    const invoice = { id: 'in_test_failed', object: 'invoice', customer: t.customerId, status: 'open' };
    const failedAt = sec(clock.now()) + 100;
    const failed = await deliver(api, stripeEvent('invoice.payment_failed', invoice, failedAt));
    assert.equal(failed.body.outcome, 'APPLIED');
    let { licence } = await api.ok(LICENCE, {}, t.adminToken);
    assert.equal(licence.status, 'GRACE');
    assert.equal(licence.graceEndsAt, new Date(clock.now().getTime() + GRACE_DAYS * 86400_000).toISOString());
    await signIn(api, agents[0].email, agents[0].password, t.slug); // still allowed during the grace period

    clock.advance(GRACE_DAYS * 86400_000 - 60_000);
    assert.deepEqual(await expireGracePeriods(api.running.app), []);
    clock.advance(120_000);
    assert.deepEqual(await expireGracePeriods(api.running.app), [t.id]);
    ({ licence } = await api.ok(LICENCE, {}, t.adminToken));
    assert.equal(licence.status, 'SUSPENDED');
    const blocked = await api.gql(SIGN_IN, { input: { email: agents[1].email, password: agents[1].password, tenant: t.slug } });
    assert.equal(codeOf(blocked), 'LICENCE_SUSPENDED');
    // nothing deleted: the users, the licence terms and the signed-in agent are all still there
    assert.equal((await api.ok('{ users(first: 10) { totalCount } }', {}, t.adminToken)).users.totalCount, 3);
    assert.deepEqual([licence.seats, (await api.ok(BILLING, {}, t.adminToken)).billing.seatsUsed], [5, 1]);

    const paid = await deliver(api, stripeEvent('invoice.paid', { ...invoice, status: 'paid' }, failedAt + 200));
    assert.equal(paid.body.outcome, 'APPLIED');
    assert.equal((await api.ok(LICENCE, {}, t.adminToken)).licence.status, 'ACTIVE');
    await signIn(api, agents[1].email, agents[1].password, t.slug);
    // the failure delivered again late (a retry with a new event id) is older than the payment
    const late = await deliver(api, stripeEvent('invoice.payment_failed', invoice, failedAt + 1));
    assert.equal(late.body.outcome, 'STALE');
    assert.equal((await api.ok(LICENCE, {}, t.adminToken)).licence.status, 'ACTIVE');
  });

  it('keeps the licence but suspends sign-ins when the subscription ends, and ignores unknown customers', async () => {
    const { api, peer, clock } = kit;
    const t = await subscribedTenant(kit, { kind: 'OMNI', seats: 7 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const sub = { ...peer.subscriptions.get(t.subscriptionId)!, status: 'canceled' };
    assert.equal((await deliver(api, stripeEvent('customer.subscription.deleted', sub, sec(clock.now()) + 500))).body.outcome, 'APPLIED');
    const { billing } = await api.ok(BILLING, {}, t.adminToken);
    assert.deepEqual([billing.status, billing.licenceStatus, billing.seatsLicensed], ['CANCELED', 'SUSPENDED', 7]);
    const r = await api.gql(SIGN_IN, { input: { email: agent.email, password: agent.password, tenant: t.slug } });
    assert.equal(codeOf(r), 'LICENCE_SUSPENDED');

    const stranger = { ...sub, id: 'sub_unknown', customer: 'cus_unknown', metadata: {} };
    assert.equal((await deliver(api, stripeEvent('customer.subscription.updated', stranger, sec(clock.now())))).body.outcome, 'IGNORED');
    assert.equal((await deliver(api, stripeEvent('customer.created', { id: 'cus_x' }, sec(clock.now())))).body.outcome, 'IGNORED');
    assert.deepEqual(peer.problems, []);
  });
});
