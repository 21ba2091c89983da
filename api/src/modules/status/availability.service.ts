import type { Em } from '../../platform/db/orm.js';
import { badInput, notFound } from '../../platform/errors.js';
import { Licence, LicenceStatus } from '../licensing/index.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { SLA_TARGET_PERCENT, availabilityPercent, downtimeMinutes, monthBounds, type Interval } from './availability.js';
import { IncidentCause, MaintenanceWindow, StatusComponent, StatusIncident } from './status.entity.js';
import type { AvailabilityCreditType, AvailabilityReportType } from './status.type.js';

function bounds(month: string) {
  try {
    return monthBounds(month);
  } catch (err) {
    throw badInput((err as Error).message, 'month');
  }
}

/**
 * Availability of each component in a UTC month: minutes covered by PLATFORM incidents (from
 * start to resolution, or to `now` while open), minus announced maintenance. Incidents caused by
 * the customer's network, third-party networks or force majeure are excluded (Ubity 7).
 */
export async function availabilityReport(em: Em, month: string, now: Date): Promise<AvailabilityReportType> {
  const { from, to } = bounds(month);
  const [components, incidents, maintenance] = await Promise.all([
    em.find(StatusComponent, {}, { orderBy: { position: 'asc', name: 'asc' } }),
    em.find(StatusIncident, { cause: IncidentCause.PLATFORM, startedAt: { $lt: to }, $or: [{ resolvedAt: null }, { resolvedAt: { $gt: from } }] }),
    em.find(MaintenanceWindow, { cancelledAt: null, startsAt: { $lt: to }, endsAt: { $gt: from } }),
  ]);
  const end = to < now ? to : now;
  const rows = components.map((c) => {
    const down: Interval[] = incidents.filter((i) => i.componentIds.includes(c.id)).map((i) => [i.startedAt, i.resolvedAt ?? now]);
    const excluded: Interval[] = maintenance.filter((m) => m.componentIds.includes(c.id)).map((m) => [m.startsAt, m.endsAt]);
    const minutes = downtimeMinutes(down, excluded, from, end > from ? end : from);
    const availability = availabilityPercent(minutes, from, to);
    return { componentId: c.id, name: c.name, downtimeMinutes: Math.round(minutes * 100) / 100, availability, metTarget: availability >= SLA_TARGET_PERCENT };
  });
  return { month, targetPercent: SLA_TARGET_PERCENT, components: rows, targetMissed: rows.some((r) => !r.metTarget) };
}

/** Whether a tenant is owed a credit for a month: target missed, a 12-month contract, no overdue balance. */
export async function availabilityCredit(em: Em, tenantId: string, month: string, now: Date): Promise<AvailabilityCreditType> {
  const tenant = await em.findOne(Tenant, { id: tenantId });
  if (!tenant) throw notFound('Tenant');
  const report = await availabilityReport(em, month, now);
  const licence = await em.findOne(Licence, { tenant: tenantId }, { filters: false });
  const contractQualifies = !!licence && licence.termMonths >= 12;
  const balanceInGoodStanding = !!licence && licence.status === LicenceStatus.ACTIVE;
  const eligible = contractQualifies && balanceInGoodStanding;
  const below = report.components.filter((c) => !c.metTarget).map((c) => c.name);
  const reason = !report.targetMissed
    ? `Every component met ${SLA_TARGET_PERCENT} %`
    : !contractQualifies
      ? 'Credits need a contract of 12 months or more'
      : !balanceInGoodStanding
        ? 'Credits need a balance with nothing overdue'
        : null;
  return { tenantId, month, targetMissed: report.targetMissed, contractQualifies, balanceInGoodStanding, eligible, creditDue: report.targetMissed && eligible, componentsBelowTarget: below, reason };
}
