import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { platformEm } from '../../platform/db/orm.js';
import type { MailMessage } from '../../platform/mail.js';
import { supportPolicyByKey } from './policy.service.js';
import type { SupportPolicy } from './support-policy.entity.js';
import { Ticket, TicketEscalation, TicketStatus, TicketTimer, TimerKind } from './ticket.entity.js';
import { TicketEventKind } from './ticket.events.js';
import { publishTicketEvent } from './ticket.service.js';
import { deliverMail } from '../../platform/mail-retry.js';

export const SUPPORT_SWEEP_QUEUE = 'support-sweep';
const MINUTE = 60_000;
const BATCH = 100;

interface Outbox {
  mails: MailMessage[];
  events: { ticket: Ticket; kind: TicketEventKind; level: number | null }[];
}

const when = (d: Date | null | undefined) => (d ? d.toISOString().replace('.000Z', 'Z') : 'n/a');

function describe(ticket: Ticket): string {
  return [
    `Ticket: ${ticket.number} (${ticket.kind}${ticket.severity ? `, severity ${ticket.severity}` : ''}${ticket.urgency ? `, ${ticket.urgency}` : ''})`,
    `Title: ${ticket.title}`,
    `Filed: ${when(ticket.filedAt)}${ticket.filedOutsideHours ? ' (outside business hours)' : ''}`,
    `Response due: ${when(ticket.responseDueAt)}${ticket.respondedAt ? ` (answered ${when(ticket.respondedAt)})` : ''}`,
    `Resolution due: ${when(ticket.resolutionDueAt)}`,
  ].join('\n');
}

function startEscalation(em: Em, ticket: Ticket, policy: SupportPolicy, at: Date, pending: boolean): void {
  if (pending || !policy.escalation.length) return;
  ticket.escalationAcknowledgedAt = null;
  em.create(TicketTimer, { tenant: ticket.tenant, ticket, kind: TimerKind.ESCALATION, level: 1, dueAt: new Date(at.getTime() + policy.escalation[0]!.afterMinutes * MINUTE), firedAt: null });
}

async function handle(em: Em, timer: TicketTimer, now: Date, out: Outbox): Promise<void> {
  const ticket = timer.ticket as Ticket;
  if (ticket.status === TicketStatus.CLOSED) return;
  const policy = await supportPolicyByKey(em, ticket.policyKey);
  const support = policy.escalation[0];
  const notify = (subject: string, body: string, to = support?.email) => {
    if (to) out.mails.push({ to, subject: `[${ticket.number}] ${subject}`, text: `${body}\n\n${describe(ticket)}\n`, headers: { 'X-Switchboard-Ticket': ticket.number } });
  };
  const pendingEscalation = async () => (await em.count(TicketTimer, { ticket: ticket.id, kind: TimerKind.ESCALATION, firedAt: null })) > 0;
  switch (timer.kind) {
    case TimerKind.RESPONSE_WARNING:
      if (ticket.respondedAt || ticket.pausedAt) return;
      notify(`Response due at ${when(ticket.responseDueAt)}`, 'The response target of this ticket is close.');
      out.events.push({ ticket, kind: TicketEventKind.WARNING, level: null });
      return;
    case TimerKind.RESOLUTION_WARNING:
      if (ticket.pausedAt) return;
      notify(`Resolution due at ${when(ticket.resolutionDueAt)}`, 'The resolution target of this ticket is close.');
      out.events.push({ ticket, kind: TicketEventKind.WARNING, level: null });
      return;
    case TimerKind.RESPONSE_BREACH:
      if (ticket.respondedAt || ticket.pausedAt) return;
      ticket.responseBreachedAt = timer.dueAt;
      notify('Response target missed', `Nobody answered by ${when(timer.dueAt)}.`);
      out.events.push({ ticket, kind: TicketEventKind.BREACHED, level: null });
      startEscalation(em, ticket, policy, timer.dueAt, await pendingEscalation());
      return;
    case TimerKind.RESOLUTION_BREACH:
      if (ticket.pausedAt) return;
      ticket.resolutionBreachedAt = timer.dueAt;
      notify('Resolution target missed', `The ticket was not resolved by ${when(timer.dueAt)}.`);
      out.events.push({ ticket, kind: TicketEventKind.BREACHED, level: null });
      startEscalation(em, ticket, policy, timer.dueAt, await pendingEscalation());
      return;
    case TimerKind.ESCALATION: {
      if (ticket.escalationAcknowledgedAt) return;
      const level = timer.level ?? 1;
      const step = policy.escalation[level - 1];
      if (!step) return;
      em.create(TicketEscalation, { tenant: ticket.tenant, ticket, level, title: step.title, email: step.email, notifiedAt: now });
      ticket.escalationLevel = level;
      notify(
        `Escalation level ${level} (${step.title}): SLA target missed`,
        `You are level ${level} of the escalation chain (${step.title}). Acknowledge the escalation to stop further steps.`,
        step.email,
      );
      out.events.push({ ticket, kind: TicketEventKind.ESCALATED, level });
      const next = policy.escalation[level];
      if (next) {
        em.create(TicketTimer, { tenant: ticket.tenant, ticket, kind: TimerKind.ESCALATION, level: level + 1, dueAt: new Date(timer.dueAt.getTime() + next.afterMinutes * MINUTE), firedAt: null });
      }
      return;
    }
  }
}

/**
 * Handles every ticket timer due by clock.now(): warnings, breaches and escalation steps, in
 * due order and across instances (rows are claimed with SKIP LOCKED). Mail and events go out
 * after each batch commits. Returns the number of timers handled. Tests call it directly.
 */
export async function runSupportSweep(app: App): Promise<number> {
  let handled = 0;
  for (;;) {
    const now = app.clock.now();
    const out: Outbox = { mails: [], events: [] };
    const count = await platformEm(app.orm).transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `select id from ticket_timer where fired_at is null and due_at <= ? order by due_at, id limit ${BATCH} for update skip locked`,
        [now],
      );
      if (!rows.length) return 0;
      const timers = await tx.find(TicketTimer, { id: { $in: rows.map((r) => r.id) } }, { populate: ['ticket'], orderBy: { dueAt: 'asc', id: 'asc' } });
      for (const timer of timers) {
        // A timer removed by an earlier one in this batch (e.g. after a close) is skipped.
        if (timer.firedAt) continue;
        timer.firedAt = now;
        await handle(tx, timer, now, out);
        await tx.flush();
      }
      return timers.length;
    });
    for (const e of out.events) publishTicketEvent(app, e.ticket, e.kind, e.level);
    for (const mail of out.mails) {
      await deliverMail(app, mail, 'support mail');
    }
    handled += count;
    if (!count) return handled;
  }
}

/** Runs the sweep every minute through pg-boss (once per tick across instances). */
export async function registerSupportJobs(app: App): Promise<void> {
  await app.jobs.work(SUPPORT_SWEEP_QUEUE, async () => {
    await runSupportSweep(app);
  });
  await app.jobs.schedule(SUPPORT_SWEEP_QUEUE, '* * * * *');
}
