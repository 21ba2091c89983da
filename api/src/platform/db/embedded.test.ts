/**
 * The embedded PostgreSQL under supervision, with this test's own server in a temporary folder:
 * killed, it is restarted and pg-boss carries on by itself; frozen, queries with timeouts fail
 * with an error the API reports as SERVICE_UNAVAILABLE, and work again once it is thawed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.js';
import { createOrm } from './orm.js';
import { isDatabaseUnavailable } from './unavailable.js';
import { startJobs } from '../jobs.js';
import { createLogger } from '../logger.js';
import { postmasterPid, signalServer } from '../../testing/embedded-postgres.js';
import { waitFor } from '../../testing/telephony.js';

const log = createLogger(process.env.TEST_LOG_LEVEL || 'silent');

describe('embedded PostgreSQL under supervision', () => {
  let dir: string;
  let db: EmbeddedDatabase;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-supervised-'));
    db = await startEmbeddedPostgres(dir, undefined, log, 'postgres');
  });
  after(async () => {
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('restarts PostgreSQL after kill -9, and pg-boss runs jobs again without a restart of its own', async () => {
    const jobs = await startJobs(db.url, log, { connectMs: 1000, statementMs: 2000 });
    try {
      const seen: number[] = [];
      await jobs.work<{ n: number }>('recovery-probe', async ({ n }) => void seen.push(n));
      await jobs.send('recovery-probe', { n: 1 });
      await waitFor('the first job', async () => seen.includes(1), 15_000);

      const killed = (await postmasterPid(dir))!;
      process.kill(killed, 'SIGKILL');
      await waitFor('a new PostgreSQL', async () => {
        const pid = await postmasterPid(dir);
        return pid !== undefined && pid !== killed;
      }, 30_000);
      // sending may fail while the pool still holds connections to the dead server
      await waitFor('a job sent after the restart', async () => jobs.send('recovery-probe', { n: 2 }).then(Boolean, () => false), 15_000);
      await waitFor('the job to run', async () => seen.includes(2), 30_000);
    } finally {
      await jobs.stop();
    }
  });

  it('gives up on a frozen server within the statement timeout + 2 s, with an error that means "unavailable"', async () => {
    const orm = await createOrm({ url: db.url, poolMax: 2, timeouts: { connectMs: 1000, statementMs: 500 } });
    const postmaster = (await postmasterPid(dir))!;
    try {
      assert.deepEqual(await orm.em.getConnection().execute('select 1 as one'), [{ one: 1 }]);
      await signalServer(postmaster, 'SIGSTOP');
      const started = Date.now();
      const err = await orm.em.getConnection().execute('select 1').then(() => undefined, (e: unknown) => e);
      assert.ok(err, 'the query failed');
      assert.ok(Date.now() - started < 4000, `gave up after ${Date.now() - started} ms`);
      assert.ok(isDatabaseUnavailable(err), `classified as unavailable: ${String(err)}`);
      // a statement the server cancels for time is "unavailable" too (SQLSTATE 57014)
      await signalServer(postmaster, 'SIGCONT');
      await waitFor('queries after the thaw', async () => orm.em.getConnection().execute('select 1').then(() => true, () => false), 10_000);
      const slow = await orm.em.getConnection().execute('select pg_sleep(3)').then(() => undefined, (e: unknown) => e);
      assert.ok(isDatabaseUnavailable(slow), `statement timeout classified as unavailable: ${String(slow)}`);
    } finally {
      await signalServer(postmaster, 'SIGCONT');
      await orm.close(true);
    }
  });
});
