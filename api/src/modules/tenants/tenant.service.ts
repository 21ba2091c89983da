import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { paginate, type PageArgs } from '../../platform/connection.js';
import { LicencePolicy } from '../licensing/licence-policy.entity.js';
import { Deployment, Tenant, TenantStatus } from './tenant.entity.js';
import type { CreateTenantInput, UpdateTenantInput } from './tenant.input.js';
import type { TenantType } from './tenant.type.js';

export const DEFAULT_POLICY: Record<Deployment, string> = {
  [Deployment.CLOUD]: 'CLOUD',
  [Deployment.ON_PREMISES]: 'ON_PREMISES',
};

export function toTenantType(t: Tenant): TenantType {
  return {
    id: t.id,
    name: t.name,
    slug: t.slug,
    deployment: t.deployment,
    timeZone: t.timeZone,
    language: t.language,
    status: t.status,
    licencePolicyKey: t.licencePolicy.key,
    createdAt: t.createdAt,
    suspendedAt: t.suspendedAt ?? null,
    retentionMonths: t.retentionMonths,
  };
}

export async function getTenant(em: Em, id: string): Promise<Tenant> {
  const tenant = await em.findOne(Tenant, { id });
  if (!tenant) throw notFound('Tenant');
  return tenant;
}

export async function listTenants(em: Em, page: PageArgs, status?: TenantStatus) {
  const conn = await paginate(em, Tenant, status ? { status } : {}, page);
  return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: toTenantType(e.node) })) };
}

/** Inserts a tenant inside the caller's transaction; the caller creates its first administrator. */
export async function insertTenant(tx: Em, input: CreateTenantInput): Promise<Tenant> {
  if (await tx.count(Tenant, { slug: input.slug })) {
    throw new AppError(ErrorCode.CONFLICT, `The slug "${input.slug}" is taken`, { field: 'slug' });
  }
  const policyKey = input.licencePolicyKey ?? DEFAULT_POLICY[input.deployment];
  const policy = await tx.findOne(LicencePolicy, { key: policyKey });
  if (!policy) throw badInput(`Unknown licence policy "${policyKey}"`, 'licencePolicyKey');
  return tx.create(Tenant, {
    name: input.name,
    slug: input.slug,
    deployment: input.deployment,
    timeZone: input.timeZone,
    language: input.language,
    licencePolicy: policy,
  });
}

export async function updateTenant(em: Em, id: string, input: UpdateTenantInput): Promise<Tenant> {
  const tenant = await getTenant(em, id);
  em.assign(tenant, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.timeZone !== undefined && { timeZone: input.timeZone }),
    ...(input.language !== undefined && input.language !== null && { language: input.language }),
  });
  await em.flush();
  return tenant;
}

/**
 * Suspends or reactivates a tenant. A suspended tenant's users and keys are refused on their
 * next request and its sessions end, which frees its seats; no data is deleted.
 */
export async function setTenantStatus(em: Em, id: string, status: TenantStatus): Promise<Tenant> {
  return em.transactional(async (tx) => {
    const t = await getTenant(tx, id);
    if (t.status === status) return t;
    t.status = status;
    t.suspendedAt = status === TenantStatus.SUSPENDED ? new Date() : null;
    if (status === TenantStatus.SUSPENDED) {
      await tx.getConnection().execute(
        'update session set revoked_at = now() where tenant_id = ? and revoked_at is null',
        [id],
        'run',
        tx.getTransactionContext(),
      );
    }
    return t;
  });
}

/** How long the tenant's transcripts and recordings are kept (platform operator: longer retention is sold). */
export async function setRetention(em: Em, id: string, months: number): Promise<Tenant> {
  if (!Number.isInteger(months) || months < 1 || months > 120) throw badInput('Retention is 1 to 120 months', 'months');
  const tenant = await getTenant(em, id);
  tenant.retentionMonths = months;
  await em.flush();
  return tenant;
}
