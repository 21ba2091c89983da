/**
 * What the peer accepts: the paths billing uses, each with the form parameters Stripe accepts
 * there (required ones marked `!`), and on every POST one of billing's own idempotency keys.
 */
import { StripeError, type Json } from './state.js';

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

/** Throws the StripeError Stripe would answer for a request billing should never send. */
export function checkRequest(method: string, path: string, params: Json, idempotencyKey: string | undefined): void {
  const r = ROUTES.find((x) => x.method === method && x.pattern.test(path));
  if (!r) throw new StripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
  const names = r.allowed.map((a) => a.replace('!', ''));
  for (const k of Object.keys(params)) if (!names.includes(k)) throw new StripeError(400, 'invalid_request_error', `Received unknown parameter: ${k}`, 'parameter_unknown');
  for (const a of r.allowed) if (a.endsWith('!') && params[a.slice(0, -1)] === undefined) throw new StripeError(400, 'invalid_request_error', `Missing required param: ${a.slice(0, -1)}.`, 'parameter_missing');
  if (method === 'POST' && !/^sb_[0-9a-f]{40}$/.test(idempotencyKey ?? '')) {
    throw new StripeError(400, 'invalid_request_error', `POST without Switchboard's idempotency key (got ${idempotencyKey ?? 'none'})`);
  }
}
