import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../platform/clock.js';
import { codeOf, startTestApi, type GqlResult, type TestApi } from '../../testing/harness.js';
import { startSmtpPeer, until, type SmtpPeer } from '../../testing/smtp-peer.js';

/** The anonymous subscription form sends e-mail: limited per source address and per recipient. */
describe('status subscription e-mail throttling', () => {
  const clock = new ManualClock(new Date());
  let api: TestApi;
  let smtp: SmtpPeer;
  before(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi({ clock, config: { smtpUrl: smtp.url, trustProxy: 1, statusSubscribeMaxPerAddress: 3, statusSubscribeMaxPerEmail: 2 } });
  });
  after(async () => {
    await api.stop();
    await smtp.stop();
  });

  async function subscribe(ip: string, email: string): Promise<GqlResult> {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ query: 'mutation($e: String!) { subscribeToStatus(email: $e) }', variables: { e: email } }),
    });
    return (await res.json()) as GqlResult;
  }

  it('refuses a source address that asks for too many confirmations, with retryAfterSeconds', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await subscribe('198.51.100.20', `fan${i}@example.com`)).data?.subscribeToStatus, true);
    const refused = await subscribe('198.51.100.20', 'fan3@example.com');
    assert.equal(codeOf(refused), 'RATE_LIMITED');
    assert.equal(refused.errors![0].extensions!.retryAfterSeconds, 3600);
    assert.equal((await subscribe('198.51.100.21', 'fan4@example.com')).data?.subscribeToStatus, true, 'another address is not affected');
    await until(() => smtp.to('fan4@example.com').length === 1);
    assert.deepEqual([0, 1, 2, 3].map((i) => smtp.to(`fan${i}@example.com`).length), [1, 1, 1, 0]);
  });

  it('sends one recipient at most the daily number of confirmations, whoever asks, without saying so', async () => {
    const victim = 'victim@example.com';
    const from = (i: number) => `203.0.113.${100 + i}`;
    let asked = 0;
    const ask = async () => assert.equal((await subscribe(from(asked++), victim)).data?.subscribeToStatus, true);
    const mailed = async (n: number) => {
      await until(() => smtp.to(victim).length >= n);
      assert.equal(smtp.to(victim).length, n);
    };
    await ask();
    await ask(); // within the hour: answered, nothing sent
    clock.advance(3_600_000);
    await ask();
    await mailed(2);
    clock.advance(3_600_000);
    await ask(); // the day's limit is reached: answered the same way, nothing sent
    clock.advance(24 * 3_600_000);
    await ask();
    await mailed(3);
    clock.advance(3_600_000);
    await ask();
    await mailed(4);
  });
});
