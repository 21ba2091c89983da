import { LockMode } from '@mikro-orm/core';
import type { App } from '../../platform/context.js';
import { platformEm, type Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, notFound } from '../../platform/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Licence, LicenceStatus } from './licence.entity.js';
import { LicencePolicy } from './licence-policy.entity.js';
import { licenceViolations, type LicenceTerms } from './licence-rules.js';
import { LICENCE_CHANGED, type LicenceChangedPayload } from './licence.events.js';
import type { LicenceTermsInput } from './licence.input.js';
import type { LicenceCheckType, LicenceType } from './licence.type.js';

export const listPolicies = (em: Em) => em.find(LicencePolicy, {}, { orderBy: { key: 'asc' } });

/** Agents holding a seat now: distinct users with an active, seat-holding session. */
export async function seatsInUse(em: Em, tenantId: string): Promise<number> {
  const [row] = await em.getConnection().execute<{ n: string }[]>(
    `select count(distinct user_id) as n from session
      where tenant_id = ? and holds_seat and revoked_at is null and expires_at > now()`,
    [tenantId],
  );
  return Number(row?.n ?? 0);
}

function view(licence: Licence, policy: LicencePolicy, inUse: number): LicenceType {
  return {
    id: licence.id,
    kind: licence.kind,
    seats: licence.seats,
    seatsInUse: inUse,
    channels: licence.seats * policy.channelsPerSeat,
    termMonths: licence.termMonths,
    startsAt: licence.startsAt,
    updatedAt: licence.updatedAt,
    status: licence.status,
    graceEndsAt: licence.graceEndsAt ?? null,
    policy,
    addOns: {
      advancedReports: licence.advancedReports,
      aiConnection: licence.aiConnection,
      support247: licence.support247,
      pbxUsers: licence.pbxUsers,
      chatbotLicences: licence.chatbotLicences,
    },
  };
}

async function tenantWithPolicy(em: Em, tenantId: string) {
  const tenant = await em.findOne(Tenant, { id: tenantId }, { populate: ['licencePolicy'] });
  if (!tenant) throw notFound('Tenant');
  return tenant;
}

/** The tenant's licence as clients see it, or null when it has none yet. */
export async function getLicence(em: Em, tenantId: string): Promise<LicenceType | null> {
  const licence = await em.findOne(Licence, { tenant: tenantId });
  if (!licence) return null;
  const tenant = await tenantWithPolicy(em, tenantId);
  return view(licence, tenant.licencePolicy, await seatsInUse(em, tenantId));
}

export async function checkTerms(em: Em, tenantId: string, terms: LicenceTerms): Promise<LicenceCheckType> {
  const tenant = await tenantWithPolicy(em, tenantId);
  const policy = tenant.licencePolicy;
  const current = await em.findOne(Licence, { tenant: tenantId });
  const violations = licenceViolations(terms, policy, tenant.deployment, current ?? undefined);
  return { valid: violations.length === 0, violations, channels: terms.seats * policy.channelsPerSeat };
}

/**
 * Replaces the tenant's licence terms after checking them against its policy. Used by the
 * operator now and by billing later; publishes LICENCE_CHANGED after the commit.
 */
export async function setLicence(app: App, em: Em, tenantId: string, terms: LicenceTermsInput): Promise<LicenceType> {
  const licence = await em.transactional(async (tx) => {
    const tenant = await tx.findOne(Tenant, { id: tenantId }, { populate: ['licencePolicy'], lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!tenant) throw notFound('Tenant');
    const current = await tx.findOne(Licence, { tenant: tenantId });
    const violations = licenceViolations(terms, tenant.licencePolicy, tenant.deployment, current ?? undefined);
    if (violations.length) {
      throw new AppError(ErrorCode.LICENCE_POLICY_VIOLATION, violations.map((v) => v.message).join('; '), { violations });
    }
    const values = {
      kind: terms.kind,
      seats: terms.seats,
      termMonths: terms.termMonths,
      advancedReports: terms.advancedReports,
      aiConnection: terms.aiConnection,
      support247: terms.support247,
      pbxUsers: terms.pbxUsers,
      chatbotLicences: terms.chatbotLicences,
    };
    if (current) {
      tx.assign(current, values);
      return current;
    }
    return tx.create(Licence, { ...values, tenant, startsAt: new Date() });
  });
  app.events.publish(LICENCE_CHANGED, tenantId, { tenantId, licenceId: licence.id } satisfies LicenceChangedPayload);
  return (await getLicence(em, tenantId))!;
}

export interface LicenceStanding {
  status: LicenceStatus;
  graceEndsAt: Date | null;
}

/**
 * Sets whether the licence lets new agents sign in (billing: payment failed -> GRACE, grace over or
 * subscription ended -> SUSPENDED, paid -> ACTIVE). Nothing is deleted. Publishes LICENCE_CHANGED
 * after the commit when something changed; returns whether it did.
 */
export async function setLicenceStanding(app: App, em: Em, tenantId: string, standing: LicenceStanding): Promise<boolean> {
  const changed = await em.transactional(async (tx) => {
    const licence = await tx.findOne(Licence, { tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!licence) return null;
    const graceEndsAt = standing.status === LicenceStatus.GRACE ? standing.graceEndsAt : null;
    if (licence.status === standing.status && (licence.graceEndsAt?.getTime() ?? null) === (graceEndsAt?.getTime() ?? null)) return null;
    licence.status = standing.status;
    licence.graceEndsAt = graceEndsAt;
    return licence;
  });
  if (changed) app.events.publish(LICENCE_CHANGED, tenantId, { tenantId, licenceId: changed.id } satisfies LicenceChangedPayload);
  return !!changed;
}

/** Suspends every licence whose grace period ended by the app's clock; returns the tenant ids. */
export async function expireGracePeriods(app: App): Promise<string[]> {
  const em = platformEm(app.orm);
  const due = await em.find(Licence, { status: LicenceStatus.GRACE, graceEndsAt: { $lte: app.clock.now() } });
  const suspended: string[] = [];
  for (const licence of due) {
    const tenantId = licence.tenant.id;
    if (await setLicenceStanding(app, platformEm(app.orm), tenantId, { status: LicenceStatus.SUSPENDED, graceEndsAt: null })) {
      suspended.push(tenantId);
    }
  }
  return suspended;
}

/**
 * Takes a licence seat for an agent signing in, inside the caller's transaction. The licence row
 * is locked, so concurrent sign-ins of one tenant are counted one after the other and can never
 * exceed the seats. An agent who already holds a seat (another browser) does not take a second one.
 */
export async function acquireSeat(tx: Em, tenantId: string, userId: string): Promise<void> {
  const conn = tx.getConnection();
  const ctx = tx.getTransactionContext();
  const [licence] = await conn.execute<{ seats: number; status: LicenceStatus }[]>(
    'select seats, status from licence where tenant_id = ? for update',
    [tenantId],
    'all',
    ctx,
  );
  if (!licence) throw new AppError(ErrorCode.LICENCE_REQUIRED, 'This tenant has no licence yet; agents cannot sign in');
  if (licence.status === LicenceStatus.SUSPENDED) {
    throw new AppError(
      ErrorCode.LICENCE_SUSPENDED,
      'The licence is suspended (unpaid or ended subscription); agents cannot sign in until it is paid. No data was deleted.',
    );
  }
  const [row] = await conn.execute<{ others: string; mine: string }[]>(
    `select count(distinct user_id) filter (where user_id <> ?) as others,
            count(*) filter (where user_id = ?) as mine
       from session
      where tenant_id = ? and holds_seat and revoked_at is null and expires_at > now()`,
    [userId, userId, tenantId],
    'all',
    ctx,
  );
  if (Number(row.mine) > 0) return;
  if (Number(row.others) >= licence.seats) {
    throw new AppError(
      ErrorCode.LICENCE_SEATS_EXHAUSTED,
      `All ${licence.seats} licensed agent seats are in use; try again when an agent signs out`,
      { seats: licence.seats },
    );
  }
}
