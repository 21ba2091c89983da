/**
 * Outages of the embedded PostgreSQL, from outside as an operator sees them (`npm start`'s entry
 * point as a child process, each with its own DATA_DIR and so its own PostgreSQL):
 * - two instances on one machine, each with its own DATA_DIR and PORT, both run;
 * - a second start on a DATA_DIR a live instance uses is refused with the reason and what to do;
 * - PostgreSQL frozen (SIGSTOP): /readyz answers 503 within 2 s, queries SERVICE_UNAVAILABLE fast;
 *   thawed: ready again, queries work, no restart of the API;
 * - PostgreSQL killed (kill -9): the API restarts it and queries work again.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnApi, type ApiProcess } from '../api/src/testing/process.js';
import { waitFor } from '../api/src/testing/telephony.js';
import { postmasterPid, signalServer } from '../api/src/testing/embedded-postgres.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const dirs: string[] = [];
const newDataDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-recovery-'));
  dirs.push(dir);
  return dir;
};
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** No EMBEDDED_DB_PORT: each instance must find (and remember) its own PostgreSQL port. */
const envFor = (dataDir: string, extra: Record<string, string> = {}) => ({
  DATABASE_URL: '',
  REDIS_URL: '',
  EMBEDDED_DB_PORT: '',
  TELEPHONY: '',
  DATA_DIR: dataDir,
  SEED_DEMO: 'true',
  ...extra,
});

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

async function gql(url: string, query: string, token?: string) {
  const r = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query }),
  });
  return (await r.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

const readyStatus = async (url: string) => (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) })).status;

/** An administrator's access token from the credentials the first start printed. */
async function adminToken(api: ApiProcess): Promise<string> {
  const password = /admin@demo\.example \/ (\S+)/.exec(api.output())?.[1];
  assert.ok(password, `credentials printed:\n${api.output()}`);
  const r = await gql(api.url, `mutation { signIn(input: { email: "admin@demo.example", password: "${password}" }) { accessToken } }`);
  assert.ok(r.data?.signIn?.accessToken, JSON.stringify(r));
  return r.data.signIn.accessToken;
}

describe('crash recovery and database outages', () => {
  it('runs two instances side by side, each with its own DATA_DIR and PORT; refuses a second one on a DATA_DIR in use', async () => {
    const [dirA, dirB] = [await newDataDir(), await newDataDir()];
    const started = await Promise.allSettled([spawnApi(envFor(dirA), 120_000), spawnApi(envFor(dirB), 120_000)]);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      for (const s of started) if (s.status === 'fulfilled') await s.value.stop('SIGTERM');
      throw failed.reason;
    }
    const [a, b] = started.map((s) => (s as PromiseFulfilledResult<ApiProcess>).value);
    try {
      assert.equal(await readyStatus(a.url), 200);
      assert.equal(await readyStatus(b.url), 200);
      const [portA, portB] = await Promise.all([readFile(join(dirA, 'postgres.port'), 'utf8'), readFile(join(dirB, 'postgres.port'), 'utf8')]);
      assert.notEqual(portA.trim(), portB.trim(), 'each PostgreSQL on its own port');

      // a third start on A's folder: exit 1, saying why and what to do, at the default log level
      const third = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, ...envFor(dirA), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      third.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => third.on('exit', resolve));
      assert.equal(code, 1);
      assert.match(stderr, /Switchboard could not start: another process \(pid \d+\) is running Switchboard's PostgreSQL on this data folder/);
      assert.match(stderr, /What to do: stop that Switchboard first, or give this one its own DATA_DIR/);
      assert.equal(await readyStatus(a.url), 200, 'the running instance was left alone');
    } finally {
      await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
    }
  });

  it('answers 503 and SERVICE_UNAVAILABLE fast while PostgreSQL is frozen, recovers when it is thawed, restarts it when it is killed', async () => {
    const dataDir = await newDataDir();
    const api = await spawnApi(envFor(dataDir, { DB_STATEMENT_TIMEOUT_MS: '1000', DB_CONNECT_TIMEOUT_MS: '1000' }), 120_000);
    let frozen: number | undefined;
    try {
      const token = await adminToken(api);
      const tenantQuery = '{ tenant { slug } }';
      assert.deepEqual((await gql(api.url, tenantQuery, token)).data, { tenant: { slug: 'demo' } });
      const postmaster = (await postmasterPid(dataDir))!;
      assert.ok(postmaster, 'the embedded PostgreSQL runs');

      frozen = postmaster;
      await signalServer(postmaster, 'SIGSTOP');
      // a query sent right away waits on the frozen server: it must end, typed, within the statement timeout + 2 s
      const inFlight = await timed(() => gql(api.url, tenantQuery, token));
      assert.equal(inFlight.value.errors?.[0]?.extensions?.code, 'SERVICE_UNAVAILABLE', JSON.stringify(inFlight.value));
      assert.ok(inFlight.ms < 5000, `answered in ${inFlight.ms} ms`);

      const ready = await timed(() => readyStatus(api.url));
      assert.equal(ready.value, 503);
      assert.ok(ready.ms < 2000, `/readyz answered in ${ready.ms} ms`);
      // once the outage is known (three failed pings in a row), requests are refused at once, without waiting for a timeout
      // (well under the 3 s a request waiting on the frozen server takes)
      const timings: number[] = [];
      await waitFor('requests refused at once', async () => {
        const refused = await timed(() => gql(api.url, tenantQuery, token));
        assert.equal(refused.value.errors?.[0]?.extensions?.code, 'SERVICE_UNAVAILABLE');
        timings.push(refused.ms);
        return refused.ms < 1500;
      }, 30_000).catch((err: Error) => assert.fail(`${err.message}; answers took ${timings.join(', ')} ms\n${api.output()}`));

      await signalServer(postmaster, 'SIGCONT');
      frozen = undefined;
      await waitFor('ready after the thaw', async () => (await readyStatus(api.url)) === 200, 15_000);
      await waitFor('queries after the thaw', async () => (await gql(api.url, tenantQuery, token)).data?.tenant?.slug === 'demo', 15_000);

      process.kill(postmaster, 'SIGKILL');
      const restarted = await waitFor('a new PostgreSQL', async () => {
        const pid = await postmasterPid(dataDir);
        return pid && pid !== postmaster ? pid : undefined;
      }, 30_000);
      assert.ok(restarted);
      await waitFor('ready after the restart', async () => (await readyStatus(api.url)) === 200, 30_000);
      await waitFor('queries after the restart', async () => (await gql(api.url, tenantQuery, token)).data?.tenant?.slug === 'demo', 15_000);
      assert.equal(api.child.exitCode, null, 'the API itself never restarted');
    } finally {
      if (frozen) await signalServer(frozen, 'SIGCONT');
      await api.stop('SIGTERM');
    }
  });
});
