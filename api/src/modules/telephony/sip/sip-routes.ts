import type { FastifyInstance } from 'fastify';
import type { App } from '../../../platform/context.js';
import { kamailioEndpoint } from '../kamailio-endpoint.js';
import type { RegistrationEvent } from '../kamailio.contract.js';
import { recordSipDomain } from './sip-accounts.js';
import { handleRegistrationEvent } from './sip-registrations.js';
import { reconcileSipRegistrations } from './sip-reconcile.js';
import { onKamailioReady } from '../runtime/index.js';

/** Kamailio's registration events, the SIP domain recorded for account sync, and the reconciliation at each Kamailio start. */
export async function registerSipRoutes(fastify: FastifyInstance, app: App): Promise<void> {
  await recordSipDomain(app);
  onKamailioReady(app, () => reconcileSipRegistrations(app));
  kamailioEndpoint<Partial<RegistrationEvent>, { ok: boolean }>(fastify, app, 'registration', (body) => handleRegistrationEvent(app, body));
}
