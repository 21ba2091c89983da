/**
 * Request -> resource handler. A handler is keyed by method and resource, with `/:id` when the
 * path names one object (`POST subscriptions/:id`); Checkout, the billing portal and invoice
 * previews are keyed by their first path segment alone (`POST checkout`).
 */
import { catalogueHandlers } from './catalogue.js';
import { customerHandlers } from './customers.js';
import { subscriptionHandlers } from './subscriptions.js';
import { StripeError, type Json, type PeerState } from './state.js';

export type Handlers = Record<string, (s: PeerState, params: Json, id: string) => unknown>;

const HANDLERS: Handlers = { ...catalogueHandlers, ...customerHandlers, ...subscriptionHandlers };
const NO_OBJECT_ID = new Set(['checkout', 'billing_portal', 'invoices']);

export function answer(s: PeerState, method: string, path: string, params: Json): unknown {
  const [, , resource, id] = path.split('/');
  const handler = HANDLERS[`${method} ${resource}${id && !NO_OBJECT_ID.has(resource!) ? '/:id' : ''}`];
  if (!handler) throw new StripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
  return handler(s, params, id ?? '');
}
