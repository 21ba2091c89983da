import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Stripe from 'stripe';
import { CATALOGUE } from './catalogue.js';
import { syncCatalogue } from './catalogue-sync.js';
import { stripeOptions } from './stripe.js';
import { startStripePeer, type StripePeer } from '../../testing/stripe-peer/index.js';

const run = promisify(execFile);

describe('stripe:sync-catalogue', () => {
  let peer: StripePeer;
  before(async () => {
    peer = await startStripePeer();
  });
  after(() => peer.stop());

  it('creates every product and price once, then sends nothing when in sync', async () => {
    const env = { ...process.env, STRIPE_SECRET_KEY: 'sk_test_sync', STRIPE_API_BASE: peer.url };
    const first = await run(process.execPath, ['--import', 'tsx', 'scripts/stripe-sync-catalogue.ts'], { env });
    assert.match(first.stdout, /test mode/);
    assert.match(first.stdout, /7 items created or updated/);
    assert.equal(peer.products.size, 7);
    const active = [...peer.prices.values()].filter((p) => p.active);
    assert.deepEqual(
      active.map((p) => [p.lookup_key, p.unit_amount, p.currency, p.recurring.interval]).sort(),
      CATALOGUE.map((i) => [i.lookupKey, i.unitAmount, 'usd', 'month']).sort(),
    );
    assert.deepEqual(active.find((p) => p.lookup_key === 'switchboard_omni_agent_monthly')!.unit_amount, 3900);
    peer.take();
    const second = await run(process.execPath, ['--import', 'tsx', 'scripts/stripe-sync-catalogue.ts'], { env });
    assert.match(second.stdout, /Already in sync/);
    assert.deepEqual(peer.take().filter((r) => r.method === 'POST'), []);
    assert.deepEqual(peer.problems, []);
  });

  it('replaces a price whose amount changed and moves its lookup key', async () => {
    const stripe = new Stripe('sk_test_sync', stripeOptions(peer.url));
    const dearer = CATALOGUE.map((i) => (i.key === 'PBX_USER' ? { ...i, unitAmount: 600 } : i));
    const result = await syncCatalogue(stripe, dearer);
    assert.deepEqual(result.filter((r) => r.price !== 'unchanged').map((r) => [r.lookupKey, r.price]), [['switchboard_pbx_user_monthly', 'replaced']]);
    const pbx = [...peer.prices.values()].filter((p) => p.product === 'switchboard_pbx_user');
    assert.deepEqual(pbx.map((p) => [p.unit_amount, p.active, p.lookup_key]), [[500, false, null], [600, true, 'switchboard_pbx_user_monthly']]);
    // running the same change again is a no-op
    peer.take();
    await syncCatalogue(stripe, dearer);
    assert.deepEqual(peer.take().filter((r) => r.method === 'POST'), []);
    assert.deepEqual(peer.problems, []);
  });
});
