/**
 * A local HTTP peer that answers the Stripe API calls billing makes, in Stripe's JSON shapes, for
 * tests (Stripe itself cannot be reached from CI). It checks every request (validation.ts): the
 * path must be one billing uses, every form parameter must be one Stripe accepts on that path and
 * required ones present, and every POST must carry one of billing's own idempotency keys (`sb_` +
 * 40 hex); a key reused with other parameters is refused as Stripe does, a key reused with the
 * same ones replays the first answer. Anything else is answered 400 and recorded in `problems`.
 * The resources live in catalogue.ts (products, prices), customers.ts (customers, Checkout, the
 * billing portal) and subscriptions.ts (subscriptions, invoices).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seedCatalogue } from './catalogue.js';
import { completeCheckout } from './customers.js';
import { parseForm } from './form.js';
import { answer } from './handlers.js';
import { emptyState, newId, StripeError, type Json, type PeerState } from './state.js';
import { setItems } from './subscriptions.js';
import { checkRequest } from './validation.js';

export { parseForm } from './form.js';
export { StripeError } from './state.js';

export interface PeerRequest {
  method: string;
  path: string;
  params: Json;
  idempotencyKey?: string;
}

export interface StripePeer extends PeerState {
  url: string;
  requests: PeerRequest[];
  /** Requests the peer refused as malformed: a test that sees any here has found a bug. */
  problems: string[];
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

/** Stripe's idempotency: the first answer to a key, replayed for the same request, refused for another. */
function idempotencyCache() {
  const answered = new Map<string, { request: string; status: number; body: unknown }>();
  return {
    earlier: (key: string) => answered.get(key),
    remember: (key: string, request: string, status: number, body: unknown) => answered.set(key, { request, status, body: structuredClone(body) }),
  };
}

export async function startStripePeer(): Promise<StripePeer> {
  const state = emptyState();
  const requests: PeerRequest[] = [];
  const problems: string[] = [];
  const idempotency = idempotencyCache();
  let taken = 0;

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
    const first = method === 'POST' && key ? idempotency.earlier(key) : undefined;
    if (first) {
      if (first.request !== signature) {
        problems.push(`idempotency key ${key} reused with other parameters`);
        return send(400, { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } });
      }
      return send(first.status, first.body, true);
    }
    let status = 200;
    let body: unknown;
    try {
      checkRequest(method, url.pathname, params, key);
      body = answer(state, method, url.pathname, params);
    } catch (err) {
      if (!(err instanceof StripeError)) throw err;
      status = err.status;
      body = { error: { type: err.type, message: err.message, ...(err.code && { code: err.code }) } };
      if (err.code !== 'resource_missing' || method !== 'GET') problems.push(`${method} ${url.pathname}: ${err.message}`);
    }
    if (method === 'POST' && key) idempotency.remember(key, signature, status, body);
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
    ...state,
    url: `http://127.0.0.1:${port}`,
    requests,
    problems,
    seedCatalogue: () => seedCatalogue(state),
    completeCheckout: (sessionId, periodEnd) => completeCheckout(state, sessionId, periodEnd),
    setItems: (subscriptionId, quantities) => setItems(state, subscriptionId, quantities),
    take() {
      const out = requests.slice(taken);
      taken = requests.length;
      return out;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
