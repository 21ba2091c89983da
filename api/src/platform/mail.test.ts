import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createLogger } from './logger.js';
import { createMailer } from './mail.js';
import { startSmtpPeer, type SmtpPeer } from '../testing/smtp-peer.js';

const log = createLogger('silent');

describe('mail', () => {
  let peer: SmtpPeer;
  let dataDir: string;
  before(async () => {
    peer = await startSmtpPeer();
    dataDir = await mkdtemp(join(tmpdir(), 'sb-mail-'));
  });
  after(async () => {
    await peer.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends through the SMTP server named by the URL', async () => {
    const mailer = createMailer({ smtpUrl: peer.url, from: 'Switchboard <noc@example.test>', dataDir, log });
    assert.equal(mailer.captureDir, null);
    await mailer.send({ to: ['a@example.test', 'b@example.test'], subject: 'Été: incident résolu', text: 'Bonjour,\nrésolu.', headers: { 'X-Switchboard-Ticket': 'SB-2026-000001' } });
    mailer.close();
    assert.equal(peer.received.length, 1);
    const [mail] = peer.received;
    assert.equal(mail!.subject, 'Été: incident résolu');
    assert.equal(mail!.from?.value[0]?.address, 'noc@example.test');
    assert.deepEqual(peer.to('b@example.test').length, 1);
    assert.equal(mail!.text?.trim(), 'Bonjour,\nrésolu.');
    assert.equal(mail!.headers.get('x-switchboard-ticket'), 'SB-2026-000001');
  });

  it('without SMTP_URL writes each message as an .eml file under <dataDir>/mail', async () => {
    const mailer = createMailer({ from: 'noc@example.test', dataDir, log });
    assert.equal(mailer.captureDir, join(dataDir, 'mail'));
    await mailer.send({ to: 'tech@example.test', subject: 'first', text: 'one' });
    await mailer.send({ to: 'tech@example.test', subject: 'second', text: 'two' });
    const files = (await readdir(join(dataDir, 'mail'))).sort();
    assert.equal(files.length, 2);
    assert.ok(files.every((f) => f.endsWith('.eml')));
    const parsed = await Promise.all(files.map(async (f) => simpleParser(await readFile(join(dataDir, 'mail', f)))));
    assert.deepEqual(parsed.map((m) => m.subject).sort(), ['first', 'second']);
    assert.equal(parsed[0]!.from?.value[0]?.address, 'noc@example.test');
  });

  it('reports a refused connection to the caller', async () => {
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'noc@example.test', dataDir, log });
    await assert.rejects(mailer.send({ to: 'x@example.test', subject: 's', text: 't' }));
    mailer.close();
  });
});
