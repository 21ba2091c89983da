import type { FastifyInstance } from 'fastify';
import type { App } from '../../../platform/context.js';
import { kamailioEndpoint } from '../kamailio-endpoint.js';
import type { CallEvent, RouteDecision, RouteRequest } from '../kamailio.contract.js';
import { applyCallEvent, parseCallEvent } from './call-events.js';
import { routeInbound } from './inbound.js';
import { routeOutbound } from './outbound.js';
import { parseRouteRequest, reject } from './route-request.js';
import { isTransferTarget, routeTransfer } from '../transfers/route-transfer.js';
import { onKamailioReady } from '../runtime/index.js';
import { startMediaWatch } from './media-watch.js';

/**
 * Kamailio's two questions about calls, behind the shared secret: where an INVITE goes
 * (`route`: always a decision, a malformed request is a 400 reject) and what happened to it
 * (`call-event`: 200 with the interaction's state, 400 malformed, 404 unknown call). Once Kamailio
 * runs, the media watch ends calls whose media died (`media-watch.ts`).
 */
export async function registerCallRoutes(fastify: FastifyInstance, app: App): Promise<void> {
  onKamailioReady(app, async () => startMediaWatch(app));
  kamailioEndpoint<RouteRequest, RouteDecision>(fastify, app, 'route', async (body) => {
    const req = parseRouteRequest(body);
    if (!req) return reject(400, 'Bad Request');
    try {
      // an INVITE authenticated as an agent is that agent's outbound call; anything else is inbound to a DID
      // a carrier's INVITE to a Refer-To the API issued is the second leg of a transferred call
      if (req.authUser) return await routeOutbound(app, req);
      return isTransferTarget(req) ? await routeTransfer(app, req) : await routeInbound(app, req);
    } catch (err) {
      app.log.error({ err, callId: req.callId }, 'route decision failed');
      return reject(500, 'Server Internal Error');
    }
  });
  kamailioEndpoint<CallEvent, unknown>(fastify, app, 'call-event', async (body) => {
    const event = parseCallEvent(body);
    if (!event) return { ok: false, error: 'BAD_REQUEST' };
    const result = await applyCallEvent(app, event);
    return result.ok ? { ok: true, state: result.state } : { ok: false, error: 'NOT_FOUND' };
  });
}
