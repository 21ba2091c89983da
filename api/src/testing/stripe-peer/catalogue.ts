/** Products and prices: what `stripe:sync-catalogue` writes and Checkout reads. */
import { CATALOGUE, CURRENCY } from '../../modules/billing/catalogue.js';
import { list, need, newId, StripeError, type Json, type PeerState } from './state.js';
import type { Handlers } from './handlers.js';

export const catalogueHandlers: Handlers = {
  'GET prices': (s, p) =>
    list([...s.prices.values()].filter((x) => (p.lookup_keys as string[]).includes(x.lookup_key) && (p.active !== 'true' || x.active)), '/v1/prices'),
  'POST prices': (s, p) => {
    if (p.transfer_lookup_key === 'true') {
      for (const x of s.prices.values()) if (x.lookup_key === p.lookup_key) x.lookup_key = null;
    } else if ([...s.prices.values()].some((x) => x.lookup_key === p.lookup_key)) {
      throw new StripeError(400, 'invalid_request_error', 'A price with this lookup_key exists');
    }
    const price = { id: newId('price'), object: 'price', active: true, product: p.product, unit_amount: Number(p.unit_amount), currency: p.currency, recurring: { interval: p.recurring.interval }, lookup_key: p.lookup_key, metadata: p.metadata ?? {} };
    s.prices.set(price.id, price);
    return price;
  },
  'POST prices/:id': (s, p, id) => {
    const price = need(s.prices.get(id), 'price');
    if (p.active !== undefined) price.active = p.active === 'true';
    return price;
  },
  'GET products/:id': (s, _p, id) => need(s.products.get(id), 'product'),
  'POST products': (s, p) => {
    const product = { id: p.id, object: 'product', name: p.name, description: p.description ?? null, metadata: p.metadata ?? {}, active: true };
    s.products.set(product.id, product);
    return product;
  },
  'POST products/:id': (s, p, id) => {
    const product = need(s.products.get(id), 'product');
    Object.assign(product, { ...p, metadata: { ...product.metadata, ...(p.metadata ?? {}) } });
    return product;
  },
};

/** The catalogue's products and prices, as `stripe:sync-catalogue` would have created them. */
export function seedCatalogue(s: PeerState): void {
  for (const item of CATALOGUE) {
    const productId = `switchboard_${item.key.toLowerCase()}`;
    s.products.set(productId, { id: productId, object: 'product', name: item.name, active: true, metadata: {} });
    const price: Json = { id: newId('price'), object: 'price', active: true, product: productId, unit_amount: item.unitAmount, currency: CURRENCY, recurring: { interval: 'month' }, lookup_key: item.lookupKey, metadata: {} };
    s.prices.set(price.id, price);
  }
}
