import type { App } from '../../platform/context.js';
import { platformEm } from '../../platform/db/orm.js';
import { expireGracePeriods } from '../licensing/index.js';
import { BillingAccount } from './billing.entity.js';
import { callStripe } from './stripe.js';
import { applySubscription, type SyncChange } from './sync.js';

export interface ReconcileReport {
  checked: number;
  changes: SyncChange[];
  /** Tenants whose Stripe state could not be applied (policy broken, Stripe error). */
  failures: { tenantId: string; reason: string }[];
}

/**
 * Compares every tenant's licence with its Stripe subscription and repairs drift left by missed
 * webhooks, logging each change. A customer without a known subscription (missed
 * checkout.session.completed) gets its newest subscription looked up.
 */
export async function reconcileBilling(app: App): Promise<ReconcileReport> {
  if (!app.config.stripeSecretKey) return { checked: 0, changes: [], failures: [] };
  const accounts = await platformEm(app.orm).find(BillingAccount, {}, { orderBy: { id: 'asc' } });
  const report: ReconcileReport = { checked: 0, changes: [], failures: [] };
  for (const account of accounts) {
    const tenantId = account.tenant.id;
    try {
      const sub = account.stripeSubscriptionId
        ? await callStripe(app, 'read the subscription', (s) => s.subscriptions.retrieve(account.stripeSubscriptionId!))
        : (await callStripe(app, 'list subscriptions', (s) => s.subscriptions.list({ customer: account.stripeCustomerId, status: 'all', limit: 1 }))).data[0];
      report.checked++;
      if (!sub) continue;
      // Stripe's state now is newer than any event: it moves the ordering mark to now.
      const result = await applySubscription(app, tenantId, sub, app.clock.now());
      if (result.applied) report.changes.push(...result.changes);
      else if (result.reason === 'REJECTED') report.failures.push({ tenantId, reason: result.note ?? 'rejected' });
    } catch (err) {
      report.failures.push({ tenantId, reason: (err as Error).message });
    }
  }
  app.log.info({ checked: report.checked, changes: report.changes, failures: report.failures }, 'billing reconciliation');
  return report;
}

export const RECONCILE_QUEUE = 'billing-reconcile';
export const GRACE_QUEUE = 'billing-grace-sweep';

/** Workers and schedules: reconciliation hourly, the grace-period sweep every five minutes. */
export async function registerBillingJobs(app: App): Promise<void> {
  await app.jobs.work(RECONCILE_QUEUE, async () => void (await reconcileBilling(app)));
  await app.jobs.work(GRACE_QUEUE, async () => {
    const suspended = await expireGracePeriods(app);
    if (suspended.length) app.log.info({ tenants: suspended }, 'billing: grace period over, agent sign-ins suspended');
  });
  await app.jobs.schedule(RECONCILE_QUEUE, '17 * * * *');
  await app.jobs.schedule(GRACE_QUEUE, '*/5 * * * *');
}
