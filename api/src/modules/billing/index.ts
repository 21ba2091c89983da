export { BillingAccount, BillingEvent, BillingEventOutcome } from './billing.entity.js';
export { BillingResolver } from './billing.resolver.js';
export { CATALOGUE, CURRENCY, type CatalogueItem } from './catalogue.js';
export { reconcileBilling, registerBillingJobs, type ReconcileReport } from './reconcile.js';
export { stripeOptions } from './stripe.js';
export { receiveEvent, registerStripeWebhook } from './webhook.js';
