import type { Em } from '../../platform/db/orm.js';
import { badInput, notFound } from '../../platform/errors.js';
import { Licence } from '../licensing/index.js';
import { alwaysOpen, type BusinessCalendar, type SeverityRule } from './sla.js';
import { SupportPolicy } from './support-policy.entity.js';
import type { UpdateSupportPolicyInput } from './ticket.input.js';
import { ChangeRequestUrgency, TicketKind } from './ticket.entity.js';

export const listSupportPolicies = (em: Em) => em.find(SupportPolicy, {}, { orderBy: { key: 'asc' } });

export async function activeSupportPolicy(em: Em): Promise<SupportPolicy> {
  const policy = await em.findOne(SupportPolicy, { active: true });
  if (!policy) throw new Error('no active support policy: the support_policy presets are missing');
  return policy;
}

export async function supportPolicyByKey(em: Em, key: string): Promise<SupportPolicy> {
  const policy = await em.findOne(SupportPolicy, { key });
  if (!policy) throw notFound('Support policy');
  return policy;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function updateSupportPolicy(em: Em, key: string, input: UpdateSupportPolicyInput): Promise<SupportPolicy> {
  return em.transactional(async (tx) => {
    const policy = await supportPolicyByKey(tx, key);
    if (input.escalation) {
      if (!input.escalation.length) throw badInput('The escalation chain needs at least one step', 'escalation');
      for (const step of input.escalation) {
        if (!step.title.trim()) throw badInput('Every escalation step needs a title', 'escalation');
        if (!EMAIL.test(step.email)) throw badInput(`"${step.email}" is not an e-mail address`, 'escalation');
        if (step.afterMinutes < 0 || step.afterMinutes > 10_080) throw badInput('afterMinutes must be between 0 and 10080', 'escalation');
      }
      policy.escalation = input.escalation.map((s) => ({ title: s.title.trim(), email: s.email, afterMinutes: s.afterMinutes }));
    }
    if (input.holidays) {
      const realDate = (d: string) => DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
      const bad = input.holidays.find((d) => !realDate(d));
      if (bad) throw badInput(`"${bad}" is not a date (YYYY-MM-DD)`, 'holidays');
      const holidays = [...new Set(input.holidays)].sort();
      policy.businessCalendar = { ...policy.businessCalendar, holidays };
      if (policy.criticalCalendar) policy.criticalCalendar = { ...policy.criticalCalendar, holidays };
    }
    if (input.warningMinutes !== undefined && input.warningMinutes !== null) {
      if (input.warningMinutes < 0 || input.warningMinutes > 1440) throw badInput('warningMinutes must be between 0 and 1440', 'warningMinutes');
      policy.warningMinutes = input.warningMinutes;
    }
    if (input.maintenanceNoticeDays !== undefined && input.maintenanceNoticeDays !== null) {
      if (input.maintenanceNoticeDays < 0 || input.maintenanceNoticeDays > 60) throw badInput('maintenanceNoticeDays must be between 0 and 60', 'maintenanceNoticeDays');
      policy.maintenanceNoticeDays = input.maintenanceNoticeDays;
    }
    if (input.active === true && !policy.active) {
      await tx.nativeUpdate(SupportPolicy, { active: true }, { active: false });
      policy.active = true;
    } else if (input.active === false && policy.active) {
      throw badInput('Activate another policy instead: one policy is always active', 'active');
    }
    return policy;
  });
}

/** The SLA rule of a ticket: its severity (incidents), its urgency (change requests), none (questions). */
export function ruleFor(policy: SupportPolicy, kind: TicketKind, severity: string | null, urgency: ChangeRequestUrgency | null): SeverityRule | null {
  if (kind === TicketKind.INCIDENT) return policy.severities.find((s) => s.code === severity) ?? null;
  if (kind === TicketKind.CHANGE_REQUEST && urgency) return policy.changeRequests[urgency];
  return null;
}

/** The calendar a rule is counted on: 24/7 for critical rules with the add-on, else the critical or business calendar. */
export function calendarFor(policy: SupportPolicy, rule: SeverityRule, support247: boolean): BusinessCalendar {
  if (rule.critical && support247) return alwaysOpen(policy.businessCalendar.timeZone);
  if (rule.critical && policy.criticalCalendar) return policy.criticalCalendar;
  return policy.businessCalendar;
}

export async function hasSupport247(em: Em, tenantId: string): Promise<boolean> {
  const licence = await em.findOne(Licence, { tenant: tenantId });
  return !!licence?.support247;
}
