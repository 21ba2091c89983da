/**
 * Mail that must not be lost (SLA warnings and escalations, status notices, replies to a ticket's
 * customer): sent at once, and when the SMTP server does not take it (down, 4xx "try later"), kept
 * as a pg-boss job and sent again MAIL_RETRY_SECONDS later, then about twice as long after each
 * failure (pg-boss backoff, with jitter), 10 more times: from 60 s, over roughly 17 to 34 hours.
 * The job lives in the same PostgreSQL, so a restart does not lose it, and one instance sends it.
 * A message refused for good (a bad recipient, a rejected message: nodemailer's `permanent`
 * envelope or message errors) is logged and not retried; bad SMTP credentials are retried, so the
 * mail goes out once the configuration is fixed.
 */
import type { App } from './context.js';
import type { MailMessage } from './mail.js';

export const MAIL_RETRY_QUEUE = 'mail-retry';
const RETRIES = 10;

/** nodemailer marks an SMTP 5xx as `permanent`; only a refused recipient or message is final. */
const refusedForGood = (err: unknown) => {
  const e = err as { permanent?: boolean; code?: string } | null;
  return e?.permanent === true && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE');
};

/** Sends; a message refused for good is logged and dropped, any other failure throws (to be retried). */
async function sendOrDrop(app: App, message: MailMessage, what: string): Promise<void> {
  try {
    await app.mail.send(message);
  } catch (err) {
    if (!refusedForGood(err)) throw err;
    app.log.error({ err, to: message.to, subject: message.subject }, `${what}: refused for good by the SMTP server`);
  }
}

export async function deliverMail(app: App, message: MailMessage, what: string): Promise<void> {
  try {
    await sendOrDrop(app, message, what);
  } catch (err) {
    app.log.warn({ err, to: message.to, subject: message.subject }, `${what}: the SMTP server did not take it; it will be retried`);
    const retry = app.config.mailRetrySeconds;
    await app.jobs
      .send(MAIL_RETRY_QUEUE, { message, what }, { startAfter: new Date(Date.now() + retry * 1000), retryLimit: RETRIES, retryDelay: retry, retryBackoff: true })
      .catch((queueErr: unknown) => app.log.error({ err: queueErr, to: message.to, subject: message.subject }, `${what}: lost (could not queue a retry)`));
  }
}

/** The retries: a send that throws fails the job, and pg-boss runs it again later. */
export async function registerMailJobs(app: App): Promise<void> {
  await app.jobs.work<{ message: MailMessage; what: string }>(MAIL_RETRY_QUEUE, ({ message, what }) => sendOrDrop(app, message, `${what} (retry)`));
}
