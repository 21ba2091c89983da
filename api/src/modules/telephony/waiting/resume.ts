import type { App } from '../../../platform/context.js';
import { KAMAILIO_SECRET_HEADER, type RouteDecision } from '../kamailio.contract.js';
import { telephonySecret } from '../kamailio-endpoint.js';

/**
 * Gives Kamailio the next decision for an INVITE it holds (t_suspend: a caller waiting, or a hunt
 * after a missed offer): `POST /resume` on its RPC listener (127.0.0.1, shared secret), body the
 * decision with the Call-ID; event_route[xhttp:request] keeps it in htable `resume` and continues the
 * transaction in route[RESUMED]. False when Kamailio holds no such INVITE (the caller hung up meanwhile:
 * its `failed` event settles the interaction).
 */
export async function resumeCall(app: App, callId: string, decision: RouteDecision): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${app.config.telephony.rpcPort}/resume`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close', [KAMAILIO_SECRET_HEADER]: await telephonySecret(app) },
    body: JSON.stringify({ ...decision, callId }),
    signal: AbortSignal.timeout(3000),
  });
  await response.arrayBuffer().catch(() => null);
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw new Error(`Kamailio /resume: HTTP ${response.status}`);
}
