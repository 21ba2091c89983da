import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../platform/clock.js';
import { codeOf, startTestApi, type GqlResult, type TestApi } from '../../testing/harness.js';
import { createTenant, createUsers, type TenantFixture } from '../../testing/fixtures.js';

/**
 * Wrong passwords and refused refresh tokens are throttled per account and source address (the
 * test sends X-Forwarded-For through one trusted proxy), with blocks that double per strike and a
 * short cap on account-wide blocks; successes are never throttled.
 */
describe('sign-in throttling', () => {
  const clock = new ManualClock(new Date());
  let api: TestApi;
  let t: TenantFixture;
  let next = 0;
  /** A fresh account for each test, so their counters do not mix. */
  const account = async () => (await createUsers(api, t.adminToken, 'SUPERVISOR', 1, `guess${next++}`))[0];

  before(async () => {
    api = await startTestApi({
      clock,
      config: {
        trustProxy: 1,
        signIn: { maxFailures: 3, accountMaxFailures: 10, addressMaxFailures: 12, windowSeconds: 900, blockSeconds: 60, maxBlockSeconds: 3600, accountMaxBlockSeconds: 120 },
        refreshMaxFailures: 5,
      },
    });
    t = await createTenant(api);
  });
  after(() => api.stop());

  async function post(ip: string, query: string, variables: Record<string, unknown>, token?: string): Promise<GqlResult> {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResult;
  }
  const signIn = (ip: string, email: string, password: string) =>
    post(ip, 'mutation($i: SignInInput!) { signIn(input: $i) { accessToken refreshToken } }', { i: { email, password, tenant: t.slug } });
  /** The error code, and retryAfterSeconds when RATE_LIMITED. */
  const outcome = (r: GqlResult) => (codeOf(r) === 'RATE_LIMITED' ? `RATE_LIMITED ${r.errors![0].extensions!.retryAfterSeconds}` : codeOf(r) ?? 'OK');
  const attempts = async (n: number, attempt: (i: number) => Promise<GqlResult>) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(outcome(await attempt(i)));
    return out;
  };
  const WRONG = 'INVALID_CREDENTIALS';

  it('blocks one address guessing one account, doubling the block, even for the right password; other addresses still get in', async () => {
    const u = await account();
    const ip = '198.51.100.1';
    assert.deepEqual(await attempts(4, () => signIn(ip, u.email, 'wrong-password')), [WRONG, WRONG, WRONG, 'RATE_LIMITED 60']);
    assert.equal(outcome(await signIn(ip, u.email, u.password)), 'RATE_LIMITED 60', 'the right password is not even checked while blocked');
    assert.equal(outcome(await signIn('198.51.100.2', u.email, u.password)), 'OK');
    clock.advance(30_000);
    assert.equal(outcome(await signIn(ip, u.email, 'wrong-password')), 'RATE_LIMITED 30');
    clock.advance(30_000);
    assert.deepEqual(await attempts(4, () => signIn(ip, u.email, 'wrong-password')), [WRONG, WRONG, WRONG, 'RATE_LIMITED 120']);
    clock.advance(120_000);
    assert.equal(outcome(await signIn(ip, u.email, u.password)), 'OK');
  });

  it("forgets an address's failures for the account when it signs in with the right password", async () => {
    const u = await account();
    const ip = '198.51.100.3';
    assert.deepEqual(await attempts(2, () => signIn(ip, u.email, 'wrong-password')), [WRONG, WRONG]);
    assert.equal(outcome(await signIn(ip, u.email, u.password)), 'OK');
    assert.deepEqual(await attempts(4, () => signIn(ip, u.email, 'wrong-password')), [WRONG, WRONG, WRONG, 'RATE_LIMITED 60']);
  });

  it('blocks an account guessed from many addresses, but only briefly (the real owner is not kept out for long)', async () => {
    const u = await account();
    const from = (i: number) => `203.0.113.${i + 1}`;
    assert.deepEqual(await attempts(11, (i) => signIn(from(i), u.email, 'wrong-password')), [...Array(10).fill(WRONG), 'RATE_LIMITED 60']);
    assert.equal(outcome(await signIn('192.0.2.77', u.email, u.password)), 'RATE_LIMITED 60');
    for (const expected of [120, 120]) {
      clock.advance(120_000);
      assert.deepEqual((await attempts(11, (i) => signIn(from(20 + i), u.email, 'wrong-password'))).at(-1), `RATE_LIMITED ${expected}`, 'capped at accountMaxBlockSeconds');
    }
    clock.advance(120_000);
    assert.equal(outcome(await signIn('192.0.2.77', u.email, u.password)), 'OK');
  });

  it('blocks an address spraying passwords over many accounts, known or not', async () => {
    const u = await account();
    const ip = '198.51.100.4';
    const out = await attempts(13, (i) => signIn(ip, i % 2 ? `nobody${i}@example.com` : `sprayed${i}@example.com`, 'wrong-password'));
    assert.deepEqual(out, [...Array(12).fill(WRONG), 'RATE_LIMITED 60']);
    assert.equal(outcome(await signIn(ip, u.email, u.password)), 'RATE_LIMITED 60');
    assert.equal(outcome(await signIn('198.51.100.5', u.email, u.password)), 'OK');
  });

  it('never throttles successful sign-ins', async () => {
    const u = await account();
    assert.deepEqual(await attempts(30, () => signIn('198.51.100.6', u.email, u.password)), Array(30).fill('OK'));
  });

  it('throttles refused refresh tokens per address', async () => {
    const u = await account();
    const { refreshToken } = (await signIn('198.51.100.7', u.email, u.password)).data!.signIn;
    const refresh = (ip: string, token: string) => post(ip, 'mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken } }', { r: token });
    const out = await attempts(6, (i) => refresh('198.51.100.8', `sbr_forged-${i}`));
    assert.deepEqual(out, [...Array(5).fill('UNAUTHENTICATED'), 'RATE_LIMITED 60']);
    assert.equal(outcome(await refresh('198.51.100.8', refreshToken)), 'RATE_LIMITED 60');
    assert.equal(outcome(await refresh('198.51.100.9', refreshToken)), 'OK');
  });

  it('counts wrong current passwords in changePassword like wrong sign-ins', async () => {
    const u = await account();
    const ip = '198.51.100.10';
    const { accessToken } = (await signIn(ip, u.email, u.password)).data!.signIn;
    const change = (current: string) =>
      post(ip, 'mutation($c: String!) { changePassword(currentPassword: $c, newPassword: "another-password-1") }', { c: current }, accessToken);
    assert.deepEqual(await attempts(4, () => change('wrong-password')), [WRONG, WRONG, WRONG, 'RATE_LIMITED 60']);
    assert.equal(outcome(await change(u.password)), 'RATE_LIMITED 60');
  });
});
