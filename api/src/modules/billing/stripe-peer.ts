/**
 * A local HTTP peer that answers the Stripe API calls billing makes, in Stripe's JSON shapes, for
 * tests (Stripe itself cannot be reached from CI). It checks every request: the path must be one
 * billing uses, every form parameter must be one Stripe accepts on that path and required ones
 * present, and every POST must carry one of billing's own idempotency keys (`sb_` + 40 hex); a key
 * reused with other parameters is refused as Stripe does, a key reused with the same ones replays
 * the first answer. Anything else is answered 400 and recorded in `problems`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CATALOGUE, CURRENCY } from './catalogue.js';

type Json = Record<string, any>;
export interface PeerRequest {
  method: string;
  path: string;
  params: Json;
  idempotencyKey?: string;
}

/** Stripe's bracket form encoding (`items[0][price]=x`) back into objects and arrays. */
export function parseForm(body: string): Json {
  const out: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const keys = rawKey.replace(/\]/g, '').split('[');
    let node: Json = out;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) node[k] = value;
      else node = node[k] ??= {};
    });
  }
  const arrays = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const o = v as Json;
    const keys = Object.keys(o);
    if (keys.length && keys.every((k) => /^\d+$/.test(k))) return keys.sort((a, b) => +a - +b).map((k) => arrays(o[k]));
    return Object.fromEntries(keys.map((k) => [k, arrays(o[k])]));
  };
  return arrays(out) as Json;
}

let seq = 0;
const newId = (prefix: string) => `${prefix}_test${(++seq).toString(36).padStart(8, '0')}`;
const list = (data: unknown[], url: string) => ({ object: 'list', data, has_more: false, url });

export class StripeError extends Error {
  constructor(readonly status: number, readonly type: string, message: string, readonly code?: string) {
    super(message);
  }
}

/** Allowed (and required, marked with !) parameters of each route. */
const ROUTES: { method: string; pattern: RegExp; allowed: string[] }[] = [
  { method: 'GET', pattern: /^\/v1\/prices$/, allowed: ['lookup_keys!', 'active', 'limit'] },
  { method: 'POST', pattern: /^\/v1\/prices$/, allowed: ['product!', 'unit_amount!', 'currency!', 'recurring!', 'lookup_key!', 'transfer_lookup_key', 'nickname', 'metadata'] },
  { method: 'POST', pattern: /^\/v1\/prices\/[\w]+$/, allowed: ['active', 'metadata'] },
  { method: 'GET', pattern: /^\/v1\/products\/[\w]+$/, allowed: [] },
  { method: 'POST', pattern: /^\/v1\/products$/, allowed: ['id!', 'name!', 'description', 'metadata'] },
  { method: 'POST', pattern: /^\/v1\/products\/[\w]+$/, allowed: ['name', 'description', 'metadata', 'active'] },
  { method: 'POST', pattern: /^\/v1\/customers$/, allowed: ['name', 'email', 'metadata'] },
  { method: 'POST', pattern: /^\/v1\/checkout\/sessions$/, allowed: ['mode!', 'customer!', 'client_reference_id!', 'line_items!', 'subscription_data', 'success_url!', 'cancel_url'] },
  { method: 'POST', pattern: /^\/v1\/billing_portal\/sessions$/, allowed: ['customer!', 'return_url'] },
  { method: 'GET', pattern: /^\/v1\/subscriptions\/[\w]+$/, allowed: [] },
  { method: 'GET', pattern: /^\/v1\/subscriptions$/, allowed: ['customer!', 'status', 'limit'] },
  { method: 'POST', pattern: /^\/v1\/subscriptions\/[\w]+$/, allowed: ['items', 'proration_behavior', 'metadata', 'cancel_at_period_end'] },
  { method: 'GET', pattern: /^\/v1\/invoices$/, allowed: ['customer!', 'limit'] },
  { method: 'POST', pattern: /^\/v1\/invoices\/create_preview$/, allowed: ['customer!', 'subscription!', 'subscription_details'] },
];

export interface StripePeer {
  url: string;
  requests: PeerRequest[];
  /** Requests the peer refused as malformed: a test that sees any here has found a bug. */
  problems: string[];
  prices: Map<string, Json>;
  products: Map<string, Json>;
  customers: Map<string, Json>;
  subscriptions: Map<string, Json>;
  sessions: Map<string, Json>;
  invoices: Json[];
  /** Adds the catalogue's prices, as `stripe:sync-catalogue` would have. */
  seedCatalogue(): void;
  /** What Stripe does when the customer pays a Checkout session: a subscription from its items. */
  completeCheckout(sessionId: string, periodEnd: number): { session: Json; subscription: Json };
  /** Sets a subscription's items from lookup key -> quantity (a change made outside Switchboard). */
  setItems(subscriptionId: string, quantities: Record<string, number>): Json;
  /** Requests since the last call, for assertions on exactly what a step sent. */
  take(): PeerRequest[];
  stop(): Promise<void>;
}

export async function startStripePeer(): Promise<StripePeer> {
  const requests: PeerRequest[] = [];
  const problems: string[] = [];
  const prices = new Map<string, Json>();
  const products = new Map<string, Json>();
  const customers = new Map<string, Json>();
  const subscriptions = new Map<string, Json>();
  const sessions = new Map<string, Json>();
  const invoices: Json[] = [];
  const idempotent = new Map<string, { request: string; status: number; body: unknown }>();
  let taken = 0;

  const priceByLookup = (key: string) => [...prices.values()].find((p) => p.lookup_key === key && p.active);
  const subItem = (price: Json, quantity: number, periodEnd: number) => ({
    id: newId('si'),
    object: 'subscription_item',
    price,
    quantity,
    current_period_start: periodEnd - 30 * 86400,
    current_period_end: periodEnd,
  });
  const need = <T,>(v: T | undefined, what: string): T => {
    if (!v) throw new StripeError(404, 'invalid_request_error', `No such ${what}`, 'resource_missing');
    return v;
  };

  function route(method: string, path: string, p: Json): unknown {
    const [, , resource, id] = path.split('/');
    switch (`${method} ${resource}${id && resource !== 'checkout' && resource !== 'billing_portal' && resource !== 'invoices' ? '/:id' : ''}`) {
      case 'GET prices':
        return list([...prices.values()].filter((x) => (p.lookup_keys as string[]).includes(x.lookup_key) && (p.active !== 'true' || x.active)), '/v1/prices');
      case 'POST prices': {
        if (p.transfer_lookup_key === 'true') {
          for (const x of prices.values()) if (x.lookup_key === p.lookup_key) x.lookup_key = null;
        } else if ([...prices.values()].some((x) => x.lookup_key === p.lookup_key)) {
          throw new StripeError(400, 'invalid_request_error', 'A price with this lookup_key exists');
        }
        const price = { id: newId('price'), object: 'price', active: true, product: p.product, unit_amount: Number(p.unit_amount), currency: p.currency, recurring: { interval: p.recurring.interval }, lookup_key: p.lookup_key, metadata: p.metadata ?? {} };
        prices.set(price.id, price);
        return price;
      }
      case 'POST prices/:id': {
        const price = need(prices.get(id), 'price');
        if (p.active !== undefined) price.active = p.active === 'true';
        return price;
      }
      case 'GET products/:id':
        return need(products.get(id), 'product');
      case 'POST products': {
        const product = { id: p.id, object: 'product', name: p.name, description: p.description ?? null, metadata: p.metadata ?? {}, active: true };
        products.set(product.id, product);
        return product;
      }
      case 'POST products/:id': {
        const product = need(products.get(id), 'product');
        Object.assign(product, { ...p, metadata: { ...product.metadata, ...(p.metadata ?? {}) } });
        return product;
      }
      case 'POST customers': {
        const customer = { id: newId('cus'), object: 'customer', name: p.name ?? null, metadata: p.metadata ?? {} };
        customers.set(customer.id, customer);
        return customer;
      }
      case 'POST checkout': {
        need(customers.get(p.customer), 'customer');
        if (p.mode !== 'subscription') throw new StripeError(400, 'invalid_request_error', 'mode must be subscription here');
        for (const li of p.line_items as Json[]) need(prices.get(li.price), `price: ${li.price}`);
        const session = { id: newId('cs'), object: 'checkout.session', mode: p.mode, customer: p.customer, client_reference_id: p.client_reference_id, status: 'open', subscription: null, url: '', line_items: p.line_items, subscription_data: p.subscription_data };
        session.url = `https://checkout.stripe.test/c/pay/${session.id}`;
        sessions.set(session.id, session);
        return session;
      }
      case 'POST billing_portal':
        need(customers.get(p.customer), 'customer');
        return { id: newId('bps'), object: 'billing_portal.session', customer: p.customer, return_url: p.return_url ?? null, url: `https://billing.stripe.test/p/session/${newId('x')}` };
      case 'GET subscriptions/:id':
        return need(subscriptions.get(id), 'subscription');
      case 'GET subscriptions':
        return list([...subscriptions.values()].filter((s) => s.customer === p.customer).reverse().slice(0, Number(p.limit ?? 10)), '/v1/subscriptions');
      case 'POST subscriptions/:id': {
        const sub = need(subscriptions.get(id), 'subscription');
        const periodEnd = sub.items.data[0]?.current_period_end ?? 0;
        for (const change of (p.items ?? []) as Json[]) {
          if (change.id) {
            const item = need(sub.items.data.find((i: Json) => i.id === change.id), 'subscription item');
            if (change.deleted === 'true') sub.items.data = sub.items.data.filter((i: Json) => i !== item);
            else if (change.quantity !== undefined) item.quantity = Number(change.quantity);
          } else {
            const price = need(prices.get(change.price), `price: ${change.price}`);
            sub.items.data.push(subItem(price, Number(change.quantity ?? 1), periodEnd));
          }
        }
        if (p.items && p.proration_behavior !== 'create_prorations') throw new StripeError(400, 'invalid_request_error', 'expected prorations');
        if (p.cancel_at_period_end !== undefined) sub.cancel_at_period_end = p.cancel_at_period_end === 'true';
        if (p.metadata) sub.metadata = { ...sub.metadata, ...p.metadata };
        return sub;
      }
      case 'GET invoices':
        return list(invoices.filter((i) => i.customer === p.customer).slice(0, Number(p.limit ?? 10)), '/v1/invoices');
      case 'POST invoices': {
        const sub = need(subscriptions.get(p.subscription), 'subscription');
        const monthly = (items: Json[]) => items.reduce((n, i) => n + i.price.unit_amount * i.quantity, 0);
        let amount = monthly(sub.items.data);
        if (p.subscription_details?.items) {
          // A change previewed: half a month of the difference (the tests' periods are half gone).
          const after = structuredClone(sub.items.data) as Json[];
          for (const c of p.subscription_details.items as Json[]) {
            const item = after.find((i) => i.id === c.id);
            if (c.deleted === 'true') after.splice(after.indexOf(item!), 1);
            else if (item) item.quantity = Number(c.quantity);
            else after.push({ price: need(prices.get(c.price), 'price'), quantity: Number(c.quantity ?? 1) });
          }
          amount = Math.round((monthly(after) - amount) / 2);
        }
        return { id: null, object: 'invoice', customer: p.customer, amount_due: amount, currency: CURRENCY, next_payment_attempt: sub.items.data[0]?.current_period_end ?? null, status: 'draft' };
      }
    }
    throw new StripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
  }

  function check(method: string, path: string, params: Json, key: string | undefined) {
    const r = ROUTES.find((x) => x.method === method && x.pattern.test(path));
    if (!r) throw new StripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
    const names = r.allowed.map((a) => a.replace('!', ''));
    for (const k of Object.keys(params)) if (!names.includes(k)) throw new StripeError(400, 'invalid_request_error', `Received unknown parameter: ${k}`, 'parameter_unknown');
    for (const a of r.allowed) if (a.endsWith('!') && params[a.slice(0, -1)] === undefined) throw new StripeError(400, 'invalid_request_error', `Missing required param: ${a.slice(0, -1)}.`, 'parameter_missing');
    if (method === 'POST' && !/^sb_[0-9a-f]{40}$/.test(key ?? '')) {
      throw new StripeError(400, 'invalid_request_error', `POST without Switchboard's idempotency key (got ${key ?? 'none'})`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://peer');
    const method = req.method ?? 'GET';
    const params = parseForm(method === 'GET' ? url.search.slice(1) : Buffer.concat(chunks).toString());
    const key = req.headers['idempotency-key'] as string | undefined;
    requests.push({ method, path: url.pathname, params, idempotencyKey: key });
    const send = (status: number, body: unknown, replayed = false) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req'), ...(replayed && { 'idempotent-replayed': 'true' }) });
      res.end(JSON.stringify(body));
    };
    const signature = `${method} ${url.pathname} ${JSON.stringify(params)}`;
    if (method === 'POST' && key && idempotent.has(key)) {
      const first = idempotent.get(key)!;
      if (first.request !== signature) {
        problems.push(`idempotency key ${key} reused with other parameters`);
        return send(400, { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } });
      }
      return send(first.status, first.body, true);
    }
    let status = 200;
    let body: unknown;
    try {
      check(method, url.pathname, params, key);
      body = route(method, url.pathname, params);
    } catch (err) {
      if (!(err instanceof StripeError)) throw err;
      status = err.status;
      body = { error: { type: err.type, message: err.message, ...(err.code && { code: err.code }) } };
      if (err.code !== 'resource_missing' || method !== 'GET') problems.push(`${method} ${url.pathname}: ${err.message}`);
    }
    if (method === 'POST' && key) idempotent.set(key, { request: signature, status, body: structuredClone(body) });
    send(status, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      problems.push(String(err));
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems,
    prices,
    products,
    customers,
    subscriptions,
    sessions,
    invoices,
    seedCatalogue() {
      for (const item of CATALOGUE) {
        const productId = `switchboard_${item.key.toLowerCase()}`;
        products.set(productId, { id: productId, object: 'product', name: item.name, active: true, metadata: {} });
        const price = { id: newId('price'), object: 'price', active: true, product: productId, unit_amount: item.unitAmount, currency: CURRENCY, recurring: { interval: 'month' }, lookup_key: item.lookupKey, metadata: {} };
        prices.set(price.id, price);
      }
    },
    completeCheckout(sessionId, periodEnd) {
      const session = sessions.get(sessionId)!;
      const sub = {
        id: newId('sub'),
        object: 'subscription',
        customer: session.customer,
        status: 'active',
        cancel_at_period_end: false,
        metadata: session.subscription_data?.metadata ?? {},
        created: periodEnd - 30 * 86400,
        items: list((session.line_items as Json[]).map((li) => subItem(prices.get(li.price)!, Number(li.quantity), periodEnd)), '/v1/subscription_items'),
      };
      subscriptions.set(sub.id, sub);
      Object.assign(session, { status: 'complete', subscription: sub.id });
      return { session, subscription: sub };
    },
    setItems(subscriptionId, quantities) {
      const sub = subscriptions.get(subscriptionId)!;
      const periodEnd = sub.items.data[0].current_period_end;
      sub.items.data = Object.entries(quantities).map(([lookup, q]) => subItem(priceByLookup(lookup)!, q, periodEnd));
      return sub;
    },
    take() {
      const out = requests.slice(taken);
      taken = requests.length;
      return out;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
