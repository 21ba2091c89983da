/**
 * `npm run stripe:sync-catalogue`: creates or updates Switchboard's Products and Prices in the
 * Stripe account of STRIPE_SECRET_KEY (sk_test_... for test mode, sk_live_... for live mode),
 * idempotently by lookup_key. STRIPE_API_BASE points it at another address (a local peer).
 */
import 'reflect-metadata';
import Stripe from 'stripe';
import { stripeOptions } from '../api/src/modules/billing/stripe.js';
import { syncCatalogue } from '../api/src/modules/billing/catalogue-sync.js';

const key = process.env.STRIPE_SECRET_KEY;
if (!key) {
  console.error('Set STRIPE_SECRET_KEY (sk_test_... or sk_live_...).');
  process.exit(2);
}
const mode = key.startsWith('sk_live_') || key.startsWith('rk_live_') ? 'LIVE' : 'test';
console.log(`Syncing the catalogue to Stripe (${mode} mode)...`);
try {
  const items = await syncCatalogue(new Stripe(key, stripeOptions(process.env.STRIPE_API_BASE)));
  for (const i of items) console.log(`  ${i.lookupKey.padEnd(40)} product ${i.product.padEnd(9)} price ${i.price.padEnd(9)} ${i.priceId}`);
  const changed = items.filter((i) => i.product !== 'unchanged' || i.price !== 'unchanged').length;
  console.log(changed ? `${changed} items created or updated.` : 'Already in sync.');
} catch (err) {
  console.error(err instanceof Stripe.errors.StripeError ? `Stripe said ${err.type}: ${err.message}` : err);
  process.exitCode = 1;
}
