import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../testing/harness.js';
import { startSmtpPeer, until, type SmtpPeer } from '../testing/smtp-peer.js';
import { deliverMail } from './mail-retry.js';

describe('mail that must not be lost', () => {
  let smtp: SmtpPeer;
  let api: TestApi;
  before(async () => {
    smtp = await startSmtpPeer({ refuseFirst: 2, unknownRecipient: 'nobody@noc.test' });
    api = await startTestApi({ config: { smtpUrl: smtp.url, mailFrom: 'noc@switchboard.test', mailRetrySeconds: 1 } });
  });
  after(async () => {
    await api?.stop();
    await smtp?.stop();
  });

  it('is sent again, through a job, when the SMTP server says "try again later"', async () => {
    await deliverMail(api.running.app, { to: 'director@noc.test', subject: 'SLA breached: SB-2026-000042', text: 'Escalation level 2' }, 'support mail');
    assert.equal(smtp.to('director@noc.test').length, 0, 'refused at first (451)');
    // the first retry (1 s later) is refused too; the next one (about 2 s after) goes through
    await until(() => smtp.to('director@noc.test').length === 1, 30_000);
    assert.equal(smtp.received[0]!.subject, 'SLA breached: SB-2026-000042');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(smtp.to('director@noc.test').length, 1, 'sent once');
  });

  it('is not retried when the server refuses the recipient for good (550)', async () => {
    const jobs = async () => Number((await api.running.app.orm.em.getConnection().execute<{ n: string }[]>("select count(*) as n from pgboss.job where name = 'mail-retry'"))[0]!.n);
    const before = await jobs();
    await deliverMail(api.running.app, { to: 'nobody@noc.test', subject: 'SLA warning', text: 'x' }, 'support mail');
    assert.equal(await jobs(), before, 'no retry queued');
    assert.equal(smtp.to('nobody@noc.test').length, 0);
  });
});
