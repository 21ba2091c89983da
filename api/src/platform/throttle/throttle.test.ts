import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../../testing/harness.js';
import { ManualClock } from '../clock.js';
import { type ThrottleRule, purgeThrottles, throttleBlocked, throttleClear, throttleHit, throttleOrThrow } from './throttle.js';

const clock = new ManualClock('2026-12-01T10:00:00Z');
let api: TestApi;
before(async () => {
  api = await startTestApi({ clock });
});
after(() => api.stop());

const rule = { limit: 3, windowSeconds: 60, blockSeconds: 10, maxBlockSeconds: 40 };
const hit = (key: string, r: ThrottleRule = rule) => throttleHit(api.running.app, key, r);

test('the hit over the limit is refused and blocks the key for blockSeconds', async () => {
  for (let i = 0; i < 3; i++) assert.deepEqual(await hit('t1'), { allowed: true, retryAfterSeconds: 0 });
  assert.deepEqual(await hit('t1'), { allowed: false, retryAfterSeconds: 10 });
  clock.advance(4_000);
  assert.deepEqual(await hit('t1'), { allowed: false, retryAfterSeconds: 6 }, 'hits while blocked are refused and do not extend the block');
  assert.equal(await throttleBlocked(api.running.app, 't1'), 6);
  clock.advance(6_000);
  assert.equal(await throttleBlocked(api.running.app, 't1'), 0);
  assert.equal((await hit('t1')).allowed, true, 'a fresh window after the block');
});

test('a new window starts after windowSeconds; other keys are independent', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await hit('t2')).allowed, true);
  assert.equal((await hit('t2-other')).allowed, true);
  clock.advance(60_000);
  for (let i = 0; i < 3; i++) assert.equal((await hit('t2')).allowed, true);
  assert.equal((await hit('t2')).allowed, false);
});

test('each further strike doubles the block up to maxBlockSeconds; a quiet period forgets strikes', async () => {
  const strike = async () => {
    let verdict = await hit('t3');
    while (verdict.allowed) verdict = await hit('t3');
    const wait = verdict.retryAfterSeconds;
    clock.advance(wait * 1000);
    return wait;
  };
  assert.deepEqual([await strike(), await strike(), await strike(), await strike()], [10, 20, 40, 40]);
  clock.advance(40_000); // quiet for maxBlockSeconds after the last block
  assert.equal(await strike(), 10);
});

test('clear forgets a key; limit 0 turns the throttle off', async () => {
  for (let i = 0; i < 4; i++) await hit('t4');
  assert.ok((await throttleBlocked(api.running.app, 't4')) > 0);
  await throttleClear(api.running.app, 't4');
  assert.equal((await hit('t4')).allowed, true);
  for (let i = 0; i < 10; i++) assert.equal((await hit('t4-off', { ...rule, limit: 0 })).allowed, true);
});

test('concurrent hits never let more than the limit through', async () => {
  const verdicts = await Promise.all(Array.from({ length: 20 }, () => hit('t5', { limit: 5, windowSeconds: 60, blockSeconds: 30 })));
  assert.equal(verdicts.filter((v) => v.allowed).length, 5);
});

test('throttleOrThrow answers RATE_LIMITED with the longest wait; purge deletes finished rows only', async () => {
  const checks = [{ key: 't6a', rule: { limit: 1, windowSeconds: 60, blockSeconds: 5 } }, { key: 't6b', rule: { limit: 1, windowSeconds: 60, blockSeconds: 50 } }];
  await throttleOrThrow(api.running.app, checks);
  await assert.rejects(throttleOrThrow(api.running.app, checks), (err: { extensions: Record<string, unknown> }) => {
    assert.equal(err.extensions.code, 'RATE_LIMITED');
    assert.equal(err.extensions.retryAfterSeconds, 50);
    return true;
  });
  const count = async () => (await api.running.app.orm.em.getConnection().execute<{ n: number }[]>("select count(*)::int as n from throttle where key like 't6%'"))[0].n;
  assert.equal(await count(), 2);
  await purgeThrottles(api.running.app);
  assert.equal(await count(), 2, 'blocked keys stay');
  clock.advance(24 * 3600_000);
  await purgeThrottles(api.running.app);
  assert.equal(await count(), 0);
});
