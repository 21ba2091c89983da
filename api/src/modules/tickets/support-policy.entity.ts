import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { BusinessCalendar } from './sla.js';
import type { ChangeUrgency, EscalationStep, SeverityLevel } from './support-policy.js';
import type { SeverityRule } from './sla.js';

/**
 * A support policy (platform-wide, not tenant-owned). Exactly one is active: the platform
 * operator picks a preset (UBITY, ISSABEL, UCONTACT) and may adjust it.
 */
export const SupportPolicy = defineEntity({
  name: 'SupportPolicy',
  tableName: 'support_policy',
  properties: {
    key: p.string().length(40).primary(),
    name: p.string().length(120),
    active: p.boolean().default(false),
    businessCalendar: p.json<BusinessCalendar>(),
    criticalCalendar: p.json<BusinessCalendar>().nullable(),
    severities: p.json<SeverityLevel[]>(),
    changeRequests: p.json<Record<ChangeUrgency, SeverityRule>>(),
    escalation: p.json<EscalationStep[]>(),
    warningMinutes: p.integer(),
    /** Weekly maintenance windows (Ubity: Mon-Thu 00:01-04:00 Eastern); holidays unused. */
    maintenanceWindows: p.json<BusinessCalendar>(),
    /** Days of written notice to TECHNICAL contacts for maintenance outside the windows. */
    maintenanceNoticeDays: p.integer(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type SupportPolicy = InferEntity<typeof SupportPolicy>;
