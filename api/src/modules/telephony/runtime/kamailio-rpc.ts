import type { App } from '../../../platform/context.js';
import { KAMAILIO_SECRET_HEADER } from '../kamailio.contract.js';
import { telephonySecret } from '../kamailio-endpoint.js';

let nextId = 1;

/**
 * Calls Kamailio's JSON-RPC (jsonrpcs over HTTP at /RPC on its own listener, 127.0.0.1 and
 * KAMAILIO_RPC_PORT only, guarded by the shared secret) and returns the `result`; a JSON-RPC error
 * or an HTTP failure throws.
 */
export async function kamailioRpc(app: App, method: string, params?: unknown[]): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${app.config.telephony.rpcPort}/RPC`, {
    method: 'POST',
    // Kamailio closes the connection after each reply without saying so; a pooled keep-alive socket
    // would be reused after that close and fail ("fetch failed"), so each call asks for its own.
    headers: { 'content-type': 'application/json', connection: 'close', [KAMAILIO_SECRET_HEADER]: await telephonySecret(app) },
    body: JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}), id: nextId++ }),
    signal: AbortSignal.timeout(3000),
  });
  // jsonrpcs answers an error with the same JSON body and its code as the HTTP status (e.g. 404)
  const body = (await response.json().catch(() => ({}))) as { result?: unknown; error?: { code: number; message: string } };
  if (!response.ok && !body.error) throw new Error(`Kamailio RPC ${method}: HTTP ${response.status}`);
  if (body.error) throw new Error(`Kamailio RPC ${method}: ${body.error.code} ${body.error.message}`);
  return body.result;
}
