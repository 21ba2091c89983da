import type { BusinessCalendar, SeverityRule } from './sla.js';

/** One incident severity of a support policy: its code (S1, CRITICAL, HIGH ...) and its SLA rule. */
export interface SeverityLevel extends SeverityRule {
  code: string;
  name: string;
  definition: string;
}

/** One step of the escalation chain, notified `afterMinutes` after the previous one (the first at the breach). */
export interface EscalationStep {
  title: string;
  email: string;
  afterMinutes: number;
}

export type ChangeUrgency = 'URGENT' | 'STANDARD' | 'COMPLEX';

/** Support rules as data: Ubity, Issabel and uContact are presets (see DOMAIN.md "Support tickets"). */
export interface SupportPolicyRules {
  businessCalendar: BusinessCalendar;
  /** Calendar of critical severities without the 24/7 add-on (Issabel reviews them at weekends); null: the business calendar. */
  criticalCalendar: BusinessCalendar | null;
  severities: SeverityLevel[];
  changeRequests: Record<ChangeUrgency, SeverityRule>;
  escalation: EscalationStep[];
  /** How long before a due time the warning goes out. */
  warningMinutes: number;
}
