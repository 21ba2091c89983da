import type { Em } from '../../platform/db/orm.js';
import { calendarFor, hasSupport247, ruleFor, supportPolicyByKey } from './policy.service.js';
import { pauseLength, slaClocks, type BusinessCalendar, type SeverityRule } from './sla.js';
import type { SupportPolicy } from './support-policy.entity.js';
import { Ticket, TicketStatus, TicketTimer, TimerKind } from './ticket.entity.js';

const MINUTE = 60_000;

export interface TicketRules {
  policy: SupportPolicy;
  rule: SeverityRule | null;
  calendar: BusinessCalendar;
}

/** The policy, rule and calendar a ticket's clocks run on. */
export async function rulesOf(em: Em, ticket: Ticket): Promise<TicketRules> {
  const policy = await supportPolicyByKey(em, ticket.policyKey);
  const rule = ruleFor(policy, ticket.kind, ticket.severity ?? null, ticket.urgency ?? null);
  const calendar = rule ? calendarFor(policy, rule, await hasSupport247(em, ticket.tenant.id)) : policy.businessCalendar;
  return { policy, rule, calendar };
}

const SLA_TIMERS = [TimerKind.RESPONSE_WARNING, TimerKind.RESPONSE_BREACH, TimerKind.RESOLUTION_WARNING, TimerKind.RESOLUTION_BREACH];

/**
 * Recomputes a ticket's due times (after filing, a severity change or a resume) and replaces its
 * pending SLA timers. Paused and closed tickets keep no SLA timers. Escalation timers are left alone.
 */
export async function reschedule(em: Em, ticket: Ticket, now: Date): Promise<void> {
  await em.nativeDelete(TicketTimer, { ticket: ticket.id, firedAt: null, kind: { $in: SLA_TIMERS } });
  if (ticket.status === TicketStatus.CLOSED || ticket.pausedAt) return;
  const { policy, rule, calendar } = await rulesOf(em, ticket);
  if (!rule) {
    ticket.clockStartedAt = null;
    ticket.responseDueAt = null;
    ticket.resolutionDueAt = null;
    return;
  }
  const clocks = slaClocks(calendar, rule, ticket.filedAt, { minutes: ticket.pausedMinutes, businessMinutes: ticket.pausedBusinessMinutes });
  ticket.clockStartedAt = clocks.clockStartedAt;
  ticket.filedOutsideHours = clocks.filedOutsideHours;
  if (!ticket.respondedAt) ticket.responseDueAt = clocks.responseDueAt;
  ticket.resolutionDueAt = clocks.resolutionDueAt;

  const add = (kind: TimerKind, dueAt: Date) => em.create(TicketTimer, { tenant: ticket.tenant, ticket, kind, dueAt, level: null, firedAt: null });
  const plan = (due: Date | null, warning: TimerKind, breach: TimerKind) => {
    if (!due) return;
    const warnAt = new Date(due.getTime() - policy.warningMinutes * MINUTE);
    if (policy.warningMinutes > 0 && warnAt > now && warnAt > clocks.clockStartedAt) add(warning, warnAt);
    add(breach, due);
  };
  if (!ticket.respondedAt && !ticket.responseBreachedAt) plan(ticket.responseDueAt ?? null, TimerKind.RESPONSE_WARNING, TimerKind.RESPONSE_BREACH);
  if (!ticket.resolutionBreachedAt) plan(ticket.resolutionDueAt ?? null, TimerKind.RESOLUTION_WARNING, TimerKind.RESOLUTION_BREACH);
}

/** Stops the clocks (waiting for the customer). */
export async function pause(em: Em, ticket: Ticket, now: Date): Promise<void> {
  if (ticket.pausedAt) return;
  ticket.pausedAt = now;
  ticket.status = TicketStatus.WAITING_ON_CUSTOMER;
  await reschedule(em, ticket, now);
}

/** Restarts the clocks: the due times move back by the time the pause used on each clock. */
export async function resume(em: Em, ticket: Ticket, now: Date): Promise<void> {
  if (!ticket.pausedAt) return;
  const { calendar } = await rulesOf(em, ticket);
  const used = pauseLength(calendar, ticket.pausedAt, now);
  ticket.pausedMinutes += used.minutes;
  ticket.pausedBusinessMinutes += used.businessMinutes;
  ticket.pausedAt = null;
  ticket.status = TicketStatus.IN_PROGRESS;
  await reschedule(em, ticket, now);
}
