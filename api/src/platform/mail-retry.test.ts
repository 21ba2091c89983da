import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../testing/harness.js';
import { startSmtpPeer, until, type SmtpPeer } from '../testing/smtp-peer.js';
import { deliverMail } from './mail-retry.js';

describe('mail that must not be lost', () => {
  let smtp: SmtpPeer;
  let api: TestApi;
  before(async () => {
    smtp = await startSmtpPeer({ refuseFirst: 2 });
    api = await startTestApi({ config: { smtpUrl: smtp.url, mailFrom: 'noc@switchboard.test', mailRetrySeconds: 1 } });
  });
  after(async () => {
    await api?.stop();
    await smtp?.stop();
  });

  it('is sent again, through a job, when the SMTP server says "try again later"', async () => {
    await deliverMail(api.running.app, { to: 'director@noc.test', subject: 'SLA breached: SB-2026-000042', text: 'Escalation level 2' }, 'support mail');
    assert.equal(smtp.to('director@noc.test').length, 0, 'refused at first (451)');
    // the first retry is refused too; the second goes through (1 s, then 2 s later)
    await until(() => smtp.to('director@noc.test').length === 1, 30_000);
    assert.equal(smtp.received[0]!.subject, 'SLA breached: SB-2026-000042');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(smtp.to('director@noc.test').length, 1, 'sent once');
  });
});
