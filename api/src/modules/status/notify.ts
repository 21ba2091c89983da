import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { AccountContact, AccountContactType } from '../identity/account-contact.entity.js';
import { StatusSubscriber } from './status.entity.js';
import { deliverMail } from '../../platform/mail-retry.js';

/** Every TECHNICAL account contact of every tenant, and every confirmed subscriber: one address each. */
export async function noticeRecipients(em: Em): Promise<string[]> {
  const [contacts, subscribers] = await Promise.all([
    em.find(AccountContact, { type: AccountContactType.TECHNICAL }, { filters: false }),
    em.find(StatusSubscriber, { confirmedAt: { $ne: null } }),
  ]);
  return [...new Set([...contacts.map((c) => c.email.toLowerCase()), ...subscribers.map((s) => s.email.toLowerCase())])].sort();
}

/** Sends one message per recipient (nobody sees the others' addresses); failures are logged. */
export async function sendNotice(app: App, recipients: string[], subject: string, text: string): Promise<void> {
  const footer = `\n\n--\nStatus page: ${app.config.publicUrl ?? ''}/status`;
  for (const to of recipients) {
    await deliverMail(app, { to, subject, text: text + footer }, 'status notice');
  }
}
