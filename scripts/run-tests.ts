/**
 * `npm test`: provides the services the tests need, then runs every test file with Node's test runner.
 * - PostgreSQL: TEST_DATABASE_URL's server, or else an embedded PostgreSQL in a temporary folder.
 *   A migrated template database is made once; each test file copies it (CREATE DATABASE ... TEMPLATE).
 * - Redis (multi-instance tests): TEST_REDIS_URL, or else 127.0.0.1:6379 if it answers, or else a
 *   `redis-server` started here if one is installed. Without any, those tests are skipped and say so
 *   (with CI=true they fail instead: api/src/testing/skip.ts).
 * - Widgets: the bundles in widgets/dist are (re)built when a source is newer.
 * Arguments are passed to `node --test` (e.g. a file list).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Redis } from 'ioredis';
import { startEmbeddedPostgres } from '../api/src/platform/db/embedded.js';
import { createOrm } from '../api/src/platform/db/orm.js';
import { createDatabase, dropDatabase } from '../api/src/platform/db/scratch.js';
import { freePort } from '../api/src/testing/process.js';
import { ensureWidgetsBuilt } from '../widgets/build.js';

const root = join(import.meta.dirname, '..');
const cleanups: (() => Promise<unknown>)[] = [];

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function providePostgres(): Promise<string> {
  if (process.env.TEST_DATABASE_URL) {
    console.log(`[test] PostgreSQL: TEST_DATABASE_URL`);
    return process.env.TEST_DATABASE_URL;
  }
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-test-pg-'));
  const quiet = { info() {}, debug() {}, warn() {} };
  const db = await startEmbeddedPostgres(dir, await freePort(), quiet, 'postgres');
  cleanups.push(async () => {
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  });
  console.log(`[test] PostgreSQL: embedded, in ${dir}`);
  return db.url;
}

async function provideRedis(): Promise<string | undefined> {
  if (process.env.TEST_REDIS_URL) return process.env.TEST_REDIS_URL;
  if (await redisAnswers('redis://127.0.0.1:6379')) return 'redis://127.0.0.1:6379';
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.log('[test] Redis: none found (install redis-server); multi-instance tests will be skipped (and fail with CI=true)');
    return undefined;
  }
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  cleanups.push(async () => void child.kill('SIGTERM'));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  return url;
}

async function testFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await testFiles(path)));
    else if (entry.name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out.sort();
}

let code = 1;
try {
  const pgUrl = await providePostgres();
  const redisUrl = await provideRedis();
  if (redisUrl) console.log(`[test] Redis: ${redisUrl}`);

  const template = `sb_template_${randomBytes(4).toString('hex')}`;
  const templateUrl = await createDatabase(pgUrl, template);
  cleanups.push(() => dropDatabase(pgUrl, template));
  const orm = await createOrm({ url: templateUrl, poolMax: 1 });
  await orm.migrator.up();
  await orm.close(true);

  await ensureWidgetsBuilt(); // the API serves widgets/dist; browser tests load it
  const args = process.argv.slice(2);
  const files = args.length ? args : (await Promise.all(['api', 'sdk', 'widgets', 'test', 'examples'].map((d) => testFiles(join(root, d))))).flat();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${process.env.TEST_CONCURRENCY || 2}`, '--test-timeout=300000', ...files],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        TEST_DATABASE_URL: pgUrl,
        SB_TEST_TEMPLATE: template,
        ...(redisUrl && { TEST_REDIS_URL: redisUrl }),
        PASSWORD_HASH_COST: process.env.PASSWORD_HASH_COST || '12',
      },
    },
  );
  code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
} catch (err) {
  console.error('[test] could not prepare the test services:', err);
} finally {
  for (const fn of cleanups.reverse()) await fn().catch((err) => console.error('[test] cleanup:', err));
}
process.exit(code);
