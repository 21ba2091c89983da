/**
 * Mail that must not be lost (SLA warnings and escalations, status notices, replies to a ticket's
 * customer): sent at once, and when the SMTP server does not take it (down, 4xx "try later"), kept
 * as a pg-boss job and sent again, MAIL_RETRY_SECONDS later and then twice as long each time, 10
 * times (about 17 hours from the default 60 s). The job lives in the same PostgreSQL, so a restart
 * does not lose it, and one instance sends it.
 */
import type { App } from './context.js';
import type { MailMessage } from './mail.js';

export const MAIL_RETRY_QUEUE = 'mail-retry';
const RETRIES = 10;

export async function deliverMail(app: App, message: MailMessage, what: string): Promise<void> {
  try {
    await app.mail.send(message);
  } catch (err) {
    app.log.warn({ err, to: message.to, subject: message.subject }, `${what}: the SMTP server did not take it; it will be retried`);
    await app.jobs
      .send(MAIL_RETRY_QUEUE, { message, what }, { retryLimit: RETRIES, retryDelay: app.config.mailRetrySeconds, retryBackoff: true })
      .catch((queueErr: unknown) => app.log.error({ err: queueErr, to: message.to, subject: message.subject }, `${what}: lost (could not queue a retry)`));
  }
}

/** The retries: a send that throws fails the job, and pg-boss runs it again later. */
export async function registerMailJobs(app: App): Promise<void> {
  await app.jobs.work<{ message: MailMessage; what: string }>(MAIL_RETRY_QUEUE, async ({ message, what }) => {
    await app.mail.send(message);
    app.log.info({ to: message.to, subject: message.subject }, `${what}: sent on a retry`);
  });
}
