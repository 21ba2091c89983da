import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on port 0 that keeps every message it accepts, parsed (tests only); `refuseFirst` messages get 451 first, `unknownRecipient` gets 550. */
export interface SmtpPeer {
  url: string;
  received: ParsedMail[];
  /** Messages whose To contains `address`. */
  to(address: string): ParsedMail[];
  stop(): Promise<void>;
}

/** Polls until `check` holds (mail may be sent by a background sweep that has not finished yet). */
export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const started = Date.now(); !check(); ) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const recipients = (mail: ParsedMail): string[] =>
  [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));

export async function startSmtpPeer(options: { refuseFirst?: number; unknownRecipient?: string } = {}): Promise<SmtpPeer> {
  const received: ParsedMail[] = [];
  let refuse = options.refuseFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === options.unknownRecipient) return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      if (refuse > 0) {
        // a server that is busy: "try again later" (a temporary failure)
        refuse--;
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Try again later'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address) => received.filter((m) => recipients(m).includes(address)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
