import Stripe from 'stripe';
import { CATALOGUE, CURRENCY, type CatalogueItem } from './catalogue.js';
import { idempotencyKey } from './stripe.js';

export interface SyncedItem {
  lookupKey: string;
  product: 'created' | 'updated' | 'unchanged';
  price: 'created' | 'replaced' | 'unchanged';
  priceId: string;
}

export const productIdOf = (item: CatalogueItem) => `switchboard_${item.key.toLowerCase()}`;

/**
 * Creates or updates the catalogue's Products and monthly Prices in a Stripe account (test or
 * live: whichever the key belongs to), idempotently: prices are found by `lookup_key`; an unchanged
 * item sends nothing; a changed amount creates a new price that takes the lookup key over
 * (`transfer_lookup_key`) and deactivates the old one, since Stripe prices are immutable and
 * running subscriptions keep the price they have.
 */
export async function syncCatalogue(stripe: Stripe, catalogue: readonly CatalogueItem[] = CATALOGUE): Promise<SyncedItem[]> {
  const existing = await stripe.prices.list({ lookup_keys: catalogue.map((i) => i.lookupKey), active: true, limit: 100 });
  const out: SyncedItem[] = [];
  for (const item of catalogue) {
    const productId = productIdOf(item);
    const metadata = { switchboard_item: item.key };
    let product: SyncedItem['product'] = 'unchanged';
    let found: Stripe.Product | null = null;
    try {
      found = await stripe.products.retrieve(productId);
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeError && err.statusCode === 404)) throw err;
    }
    if (!found) {
      await stripe.products.create(
        { id: productId, name: item.name, description: item.description, metadata },
        { idempotencyKey: idempotencyKey('product', productId, item.name, item.description) },
      );
      product = 'created';
    } else if (found.name !== item.name || found.description !== item.description || found.active === false) {
      await stripe.products.update(
        productId,
        { name: item.name, description: item.description, metadata, active: true },
        { idempotencyKey: idempotencyKey('product-update', productId, item.name, item.description) },
      );
      product = 'updated';
    }
    const current = existing.data.find((p) => p.lookup_key === item.lookupKey);
    const productOf = (p: Stripe.Price) => (typeof p.product === 'string' ? p.product : p.product.id);
    if (current && current.unit_amount === item.unitAmount && current.currency === CURRENCY && productOf(current) === productId && current.recurring?.interval === 'month') {
      out.push({ lookupKey: item.lookupKey, product, price: 'unchanged', priceId: current.id });
      continue;
    }
    const created = await stripe.prices.create(
      {
        product: productId,
        unit_amount: item.unitAmount,
        currency: CURRENCY,
        recurring: { interval: 'month' },
        lookup_key: item.lookupKey,
        ...(current && { transfer_lookup_key: true }),
        nickname: item.name,
        metadata,
      },
      { idempotencyKey: idempotencyKey('price', item.lookupKey, item.unitAmount, CURRENCY, productId, current?.id ?? null) },
    );
    if (current) await stripe.prices.update(current.id, { active: false }, { idempotencyKey: idempotencyKey('price-off', current.id) });
    out.push({ lookupKey: item.lookupKey, product, price: current ? 'replaced' : 'created', priceId: created.id });
  }
  return out;
}
