export { SipRegistration } from './sip-registration.entity.js';
export { sipRegisteredAgents } from './sip-registrations.js';
export { syncSipAccount } from './sip-accounts.js';
export { registerSipRoutes } from './sip-routes.js';
export { SipCredentialsResolver } from './sip-credentials.resolver.js';
export { afterSipAccountRemoval, dropSipRegistrations, removeSipAccount, type SipAccountRemoval } from './sip-account-removal.js';
export { reconcileSipRegistrations } from './sip-reconcile.js';
