import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import type { App } from '../../platform/context.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { CATALOGUE, type CatalogueItemKey } from './catalogue.js';

export type { Stripe };

/** An idempotency key for one intended change: the same request twice (a double click, a retry) is one change. */
export const idempotencyKey = (...parts: unknown[]) =>
  `sb_${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40)}`;

/** Stripe client options for a secret key and an optional other API address (a local peer in tests). */
export function stripeOptions(apiBase?: string): Stripe.StripeConfig {
  const options: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: 'Switchboard' } };
  if (apiBase) {
    const url = new URL(apiBase);
    options.host = url.hostname;
    options.port = url.port || (url.protocol === 'http:' ? 80 : 443);
    options.protocol = url.protocol === 'http:' ? 'http' : 'https';
  }
  return options;
}

const clients = new WeakMap<App, Stripe>();

/** The app's Stripe client; BILLING_NOT_CONFIGURED without STRIPE_SECRET_KEY. */
export function stripeFor(app: App): Stripe {
  let client = clients.get(app);
  if (!client) {
    const key = app.config.stripeSecretKey;
    if (!key) throw new AppError(ErrorCode.BILLING_NOT_CONFIGURED, 'Billing is not configured on this platform (STRIPE_SECRET_KEY is unset)');
    client = new Stripe(key, stripeOptions(app.config.stripeApiBase));
    clients.set(app, client);
  }
  return client;
}

/** Runs a Stripe call, turning Stripe's failures into a typed error the client can show. */
export async function callStripe<T>(app: App, what: string, fn: (stripe: Stripe) => Promise<T>): Promise<T> {
  const stripe = stripeFor(app);
  try {
    return await fn(stripe);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) {
      app.log.warn({ err: { type: err.type, code: err.code, message: err.message, requestId: err.requestId } }, `Stripe refused: ${what}`);
      throw new AppError(ErrorCode.BILLING_PROVIDER_ERROR, `The payment provider refused to ${what}: ${err.message}`, {
        providerCode: err.code ?? err.type,
      });
    }
    throw err;
  }
}

/** Stripe price ids of the catalogue, found by lookup key (one request, cached per client for a minute). */
const priceCache = new WeakMap<Stripe, { at: number; ids: Map<CatalogueItemKey, string> }>();

export async function catalogPriceIds(app: App, now: number): Promise<Map<CatalogueItemKey, string>> {
  const stripe = stripeFor(app);
  const cached = priceCache.get(stripe);
  if (cached && now - cached.at < 60_000) return cached.ids;
  const prices = await callStripe(app, 'list the catalogue prices', (s) =>
    s.prices.list({ lookup_keys: CATALOGUE.map((i) => i.lookupKey), active: true, limit: 100 }),
  );
  const ids = new Map<CatalogueItemKey, string>();
  for (const item of CATALOGUE) {
    const price = prices.data.find((p) => p.lookup_key === item.lookupKey);
    if (price) ids.set(item.key, price.id);
  }
  const missing = CATALOGUE.filter((i) => !ids.has(i.key)).map((i) => i.lookupKey);
  if (missing.length) {
    throw new AppError(ErrorCode.BILLING_NOT_CONFIGURED, `Stripe has no active price for ${missing.join(', ')}: run npm run stripe:sync-catalogue`);
  }
  priceCache.set(stripe, { at: now, ids });
  return ids;
}
