import { LockMode } from '@mikro-orm/core';
import type Stripe from 'stripe';
import type { App } from '../../platform/context.js';
import { platformEm, type Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { Licence, LicenceStatus, setLicence, setLicenceStanding } from '../licensing/index.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { BillingAccount } from './billing.entity.js';
import { deriveState, isEnded } from './derive.js';

const DAY = 24 * 60 * 60 * 1000;

/** One thing a sync changed, for the log and the reconciliation report. */
export interface SyncChange {
  tenantId: string;
  field: string;
  from: unknown;
  to: unknown;
}

export type ApplyOutcome = { applied: true; changes: SyncChange[] } | { applied: false; reason: 'STALE' | 'REJECTED'; note?: string };

export async function accountByCustomer(em: Em, customerId: string) {
  return em.findOne(BillingAccount, { stripeCustomerId: customerId });
}

/** Links a tenant to its Stripe customer (and subscription), creating the account row if needed. */
export async function linkAccount(em: Em, tenantId: string, customerId: string, subscriptionId?: string | null): Promise<BillingAccount> {
  return em.transactional(async (tx) => {
    let account = await tx.findOne(BillingAccount, { tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!account) account = tx.create(BillingAccount, { tenant: tx.getReference(Tenant, tenantId), stripeCustomerId: customerId });
    account.stripeCustomerId = customerId;
    if (subscriptionId) account.stripeSubscriptionId = subscriptionId;
    return account;
  });
}

/**
 * Makes the tenant's billing account and licence match a Stripe subscription. `stateAt` is when
 * Stripe produced this state (the event's creation time): older than what was applied means a late
 * delivery, and nothing is written. Without `stateAt` (a response Stripe just gave us) the state
 * is applied without moving the ordering mark. The licence changes only through the licensing
 * module, which checks the policy and publishes LICENCE_CHANGED.
 */
export async function applySubscription(app: App, tenantId: string, sub: Stripe.Subscription, stateAt?: Date): Promise<ApplyOutcome> {
  const state = deriveState(sub);
  const em = platformEm(app.orm);
  const changes: SyncChange[] = [];
  const note = (field: string, from: unknown, to: unknown) => {
    const same = from instanceof Date && to instanceof Date ? from.getTime() === to.getTime() : from === to;
    if (!same) changes.push({ tenantId, field, from, to });
  };
  const fresh = await em.transactional(async (tx) => {
    const account = await tx.findOne(BillingAccount, { tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!account) throw new Error(`no billing account for tenant ${tenantId}`);
    if (stateAt && account.subscriptionStateAt && stateAt < account.subscriptionStateAt) return false;
    if (account.stripeSubscriptionId && account.stripeSubscriptionId !== state.subscriptionId && isEnded(state.status)) {
      // An old, ended subscription must not overwrite the current one.
      return false;
    }
    note('subscription', account.stripeSubscriptionId, state.subscriptionId);
    note('subscriptionStatus', account.subscriptionStatus, state.status);
    note('cancelAtPeriodEnd', account.cancelAtPeriodEnd, state.cancelAtPeriodEnd);
    note('currentPeriodEnd', account.currentPeriodEnd, state.currentPeriodEnd);
    account.stripeSubscriptionId = state.subscriptionId;
    account.subscriptionStatus = state.status;
    account.cancelAtPeriodEnd = state.cancelAtPeriodEnd;
    account.currentPeriodEnd = state.currentPeriodEnd;
    if (stateAt) account.subscriptionStateAt = stateAt;
    return true;
  });
  if (!fresh) return { applied: false, reason: 'STALE' };

  const current = await em.findOne(Licence, { tenant: tenantId });
  if (state.terms && !isEnded(state.status)) {
    const tenant = await em.findOneOrFail(Tenant, { id: tenantId }, { populate: ['licencePolicy'] });
    const wanted = { ...state.terms, termMonths: current?.termMonths ?? tenant.licencePolicy.minTermMonths };
    const keys = ['kind', 'seats', 'advancedReports', 'aiConnection', 'support247', 'pbxUsers', 'chatbotLicences'] as const;
    const differs = !current || keys.some((k) => current[k] !== wanted[k]);
    if (differs) {
      try {
        await setLicence(app, platformEm(app.orm), tenantId, wanted);
      } catch (err) {
        if (err instanceof AppError && err.extensions.code === ErrorCode.LICENCE_POLICY_VIOLATION) {
          app.log.error({ tenantId, subscription: sub.id, err: err.message }, 'Stripe subscription breaks the licence policy; licence left unchanged');
          return { applied: false, reason: 'REJECTED', note: err.message };
        }
        throw err;
      }
      for (const k of keys) note(`licence.${k}`, current?.[k], wanted[k]);
    }
  }
  if (state.standing) {
    const licence = await em.findOne(Licence, { tenant: tenantId });
    if (licence) {
      let standing = state.standing;
      let graceEndsAt: Date | null = null;
      if (standing === LicenceStatus.GRACE) {
        // A grace period already running (or already over) keeps its deadline.
        if (licence.status === LicenceStatus.SUSPENDED) standing = LicenceStatus.SUSPENDED;
        else graceEndsAt = licence.graceEndsAt ?? new Date(app.clock.now().getTime() + app.config.billingGraceDays * DAY);
      }
      if (await setLicenceStanding(app, platformEm(app.orm), tenantId, { status: standing, graceEndsAt })) {
        note('licence.status', licence.status, standing);
      }
    }
  }
  if (changes.length) app.log.info({ tenantId, changes }, 'billing: licence synced with Stripe');
  return { applied: true, changes };
}

/**
 * A failed payment starts the grace period (agents still sign in until it ends, then the grace
 * sweep suspends sign-ins); a paid invoice lifts it. Older payment events than the newest applied
 * are ignored.
 */
export async function applyPayment(app: App, tenantId: string, paid: boolean, stateAt: Date): Promise<ApplyOutcome> {
  const em = platformEm(app.orm);
  const fresh = await em.transactional(async (tx) => {
    const account = await tx.findOne(BillingAccount, { tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!account) throw new Error(`no billing account for tenant ${tenantId}`);
    if (account.paymentStateAt && stateAt < account.paymentStateAt) return null;
    account.paymentStateAt = stateAt;
    return account;
  });
  if (!fresh) return { applied: false, reason: 'STALE' };
  const licence = await em.findOne(Licence, { tenant: tenantId });
  if (!licence) return { applied: true, changes: [] };
  let standing: LicenceStatus;
  let graceEndsAt: Date | null = null;
  if (paid) {
    standing = isEnded(fresh.subscriptionStatus) ? LicenceStatus.SUSPENDED : LicenceStatus.ACTIVE;
  } else if (licence.status !== LicenceStatus.ACTIVE) {
    return { applied: true, changes: [] };
  } else {
    graceEndsAt = new Date(app.clock.now().getTime() + app.config.billingGraceDays * DAY);
    standing = app.config.billingGraceDays > 0 ? LicenceStatus.GRACE : LicenceStatus.SUSPENDED;
  }
  const changed = await setLicenceStanding(app, platformEm(app.orm), tenantId, { status: standing, graceEndsAt });
  const changes = changed ? [{ tenantId, field: 'licence.status', from: licence.status, to: standing }] : [];
  if (changed) app.log.info({ tenantId, changes }, paid ? 'billing: invoice paid, licence active' : 'billing: payment failed, grace period started');
  return { applied: true, changes };
}
