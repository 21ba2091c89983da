import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from './logger.js';
import { uuidv7 } from './ids.js';

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  /** Extra headers, e.g. a ticket number for threading. */
  headers?: Record<string, string>;
}

/** Outgoing e-mail: SMTP when `SMTP_URL` is set, otherwise a capture folder (development). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Where captured messages go, or null when mail leaves through SMTP. */
  readonly captureDir: string | null;
  close(): void;
}

export interface MailOptions {
  /** smtp://user:pass@host:port or smtps://...; unset means capture to `<dataDir>/mail/`. */
  smtpUrl?: string;
  from: string;
  dataDir: string;
  log: Logger;
}

export function createMailer({ smtpUrl, from, dataDir, log }: MailOptions): Mailer {
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
    return {
      captureDir: null,
      async send(message) {
        const info = await transport.sendMail({ from, ...message });
        log.debug({ to: message.to, subject: message.subject, messageId: info.messageId }, 'mail sent');
      },
      close: () => transport.close(),
    };
  }
  // Development capture: the message as it would have been sent, one .eml file each.
  const captureDir = join(dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    captureDir,
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      await mkdir(captureDir, { recursive: true });
      const file = join(captureDir, `${uuidv7()}.eml`);
      await writeFile(file, info.message as Buffer);
      log.info({ to: message.to, subject: message.subject, file }, 'mail captured (no SMTP_URL)');
    },
    close: () => transport.close(),
  };
}
