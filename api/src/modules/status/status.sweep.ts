import { LockMode } from '@mikro-orm/core';
import type { App } from '../../platform/context.js';
import { platformEm } from '../../platform/db/orm.js';
import { activeSupportPolicy } from '../tickets/policy.service.js';
import { IncidentPhase, StatusIncident } from './status.entity.js';
import { deliverMail } from '../../platform/mail-retry.js';

export const STATUS_SWEEP_QUEUE = 'status-sweep';

/**
 * Reminds the support desk (first step of the escalation chain) of every incident left in
 * MONITORING past its 4 h review and of every post-mortem not published 72 h after resolution,
 * once each, by clock.now() (rows locked with SKIP LOCKED, so concurrent sweeps never double up). Returns the number of reminders sent. Tests call it directly.
 */
export async function runStatusSweep(app: App): Promise<number> {
  const now = app.clock.now();
  const mails: { subject: string; text: string }[] = [];
  let to: string | undefined;
  await platformEm(app.orm).transactional(async (tx) => {
    to = (await activeSupportPolicy(tx)).escalation[0]?.email;
    const monitoring = await tx.find(StatusIncident, { phase: IncidentPhase.MONITORING, monitoringReviewDueAt: { $lte: now }, monitoringReminderSentAt: null }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
    for (const i of monitoring) {
      i.monitoringReminderSentAt = now;
      mails.push({
        subject: `[STATUS] Re-evaluate "${i.title}": 4 h in MONITORING`,
        text: `The incident "${i.title}" has been in MONITORING for 4 h (review due ${i.monitoringReviewDueAt!.toISOString()}). Move it to RESOLVED, or back to IDENTIFIED.`,
      });
    }
    const postMortems = await tx.find(StatusIncident, { phase: IncidentPhase.RESOLVED, postMortemDueAt: { $lte: now }, postMortemPublishedAt: null, postMortemReminderSentAt: null }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
    for (const i of postMortems) {
      i.postMortemReminderSentAt = now;
      mails.push({ subject: `[STATUS] Post-mortem overdue: "${i.title}"`, text: `The post-mortem of "${i.title}" was due by ${i.postMortemDueAt!.toISOString()} (72 h after resolution).` });
    }
  });
  if (to) for (const m of mails) await deliverMail(app, { to, ...m }, 'status reminder');
  return mails.length;
}

export async function registerStatusJobs(app: App): Promise<void> {
  await app.jobs.work(STATUS_SWEEP_QUEUE, async () => {
    await runStatusSweep(app);
  });
  await app.jobs.schedule(STATUS_SWEEP_QUEUE, '* * * * *');
}
