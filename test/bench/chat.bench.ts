/**
 * `npm run bench:chat`: N concurrent webchat conversations against the real API, visitors and
 * agents on real WebSockets, each visitor sending at a fixed rate for a fixed time; then the same
 * traffic through a minimal relay (plain `ws` + one PostgreSQL insert per message). Prints
 * messages/s, end-to-end latency p50/p99 (visitor send -> agent receives) and the ratio between
 * the two. Nothing here asserts timings.
 *
 * Visitors: `startChat`, `sendVisitorMessage` over HTTP with the page's Origin, `visitorEvents`
 * on a WebSocket each. Agents (written capacity 20, so N / 20 of them): `interactionEvents` on a
 * WebSocket each, accepting their offers during setup, then receiving the visitors' messages.
 *
 * PostgreSQL: TEST_DATABASE_URL (or DATABASE_URL)'s server, else an embedded one in a temporary
 * folder; either way the run gets its own database, dropped at the end.
 * Options: BENCH_CONVERSATIONS (200), BENCH_RATE (messages/s per conversation, 1), BENCH_DURATION
 * (seconds, 10), BENCH_INSTANCES (1 or 2: 2 runs a second API process, both on Redis — REDIS_URL,
 * TEST_REDIS_URL or redis://127.0.0.1:6379 — with the agents on the second and the visitors on
 * the first), BENCH_VISITOR_WS (1; 0: visitors do not keep their `visitorEvents` WebSocket
 * open, to see what those subscriptions cost). Visitors may send 10 messages per 10 s (the
 * API's flood limit): above BENCH_RATE 1, expect RATE_LIMITED errors.
 */
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { gql } from './chat-clients.js';
import { startRelay } from './chat-relay.js';
import { chatFloor, openChats, providePostgres, type Cleanups } from './chat-setup.js';
import { runTraffic, type TrafficJob, type TrafficResult } from './chat-traffic.js';

process.env.PASSWORD_HASH_COST ??= '12'; // read when the API's modules load, hence the dynamic imports
const { start } = await import('../../api/src/server/start.js');
const { createLogger } = await import('../../api/src/platform/logger.js');
const { createDatabase, dropDatabase } = await import('../../api/src/platform/db/scratch.js');
const { platformEm } = await import('../../api/src/platform/db/orm.js');
const { hashPassword } = await import('../../api/src/platform/auth/password.js');
const { Role } = await import('../../api/src/platform/auth/permissions.js');
const { User } = await import('../../api/src/modules/identity/user.entity.js');
const { checkRedis } = await import('../../api/src/platform/pubsub.js');
const { spawnApi } = await import('../../api/src/testing/process.js');

function option(name: string, fallback: number, min: number, max = Infinity): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}
const CONVERSATIONS = Math.round(option('BENCH_CONVERSATIONS', 200, 1));
const RATE = option('BENCH_RATE', 1, 0.01);
const DURATION = option('BENCH_DURATION', 10, 1);
const INSTANCES = Math.round(option('BENCH_INSTANCES', 1, 1, 2));
const DRAIN = 5;
const OPERATOR = { email: 'operator@bench.local', password: 'operator-password' };

const cleanups: Cleanups = [];
let sqlStatements = 0; // by the API in this process
async function cleanUp(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((err) => console.error('[bench] cleanup:', err));
}
const log = (message: string) => console.log(`[bench] ${message}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

/** The Redis of the two-instance mode, or null (said why) when none answers. */
async function redis(): Promise<string | null> {
  const url = process.env.REDIS_URL || process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  try {
    await checkRedis(url);
    return url;
  } catch (err) {
    log(`BENCH_INSTANCES=2 needs Redis, and none answers at ${url} (${(err as Error).message}): skipping the two-instance mode`);
    return null;
  }
}

function report(results: [string, TrafficResult][]): void {
  const row = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(11) : c.padEnd(12))).join('');
  console.log(`\n${row(['target', 'msgs/s', 'p50 ms', 'p99 ms', 'max ms', 'sent', 'delivered', 'errors', 'lost'])}`);
  for (const [name, r] of results) {
    const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
    console.log(row([name, r.messagesPerSecond.toFixed(1), r.p50.toFixed(2), r.p99.toFixed(2), r.max.toFixed(2), String(r.sent), String(r.delivered), String(errors), String(r.lost)]));
  }
  for (const [name, r] of results) {
    if (Object.keys(r.errors).length) console.log(`${name} errors: ${Object.entries(r.errors).map(([k, v]) => `${k} x${v}`).join(', ')}`);
    for (const p of r.problems) console.log(`${name}: ${p}`);
  }
  const [sb, base] = [results[0][1], results[1][1]];
  const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? (a / b).toFixed(2) : 'n/a');
  console.log(`\nratio (switchboard / relay): throughput ${ratio(sb.messagesPerSecond, base.messagesPerSecond)}, p50 ${ratio(sb.p50, base.p50)}, p99 ${ratio(sb.p99, base.p99)}`);
}

let code = 1;
try {
  const redisUrl = INSTANCES === 2 ? await redis() : undefined;
  if (redisUrl === null) {
    code = 0;
  } else {
    const postgres = await providePostgres(cleanups);
    const dbName = `sb_bench_${randomBytes(6).toString('hex')}`;
    const databaseUrl = await createDatabase(postgres.url, dbName);
    cleanups.push(() => dropDatabase(postgres.url, dbName));

    const running = await start({
      config: { databaseUrl, redisUrl, host: '127.0.0.1', port: 0, seedDemo: false, routingSweepSeconds: 1 },
      logger: createLogger('silent'),
      onQuery: () => void sqlStatements++,
    });
    cleanups.push(() => running.stop());
    let agentUrl = running.url;
    if (redisUrl) {
      const second = await spawnApi({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, SEED_DEMO: 'false', ROUTING_SWEEP_SECONDS: '1' });
      let stopping = false;
      second.child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[api 2] ${d}`));
      second.child.once('exit', (exit) => stopping || log(`the second API exited (${exit}) on its own; it printed:\n${second.output().slice(-3000)}`));
      cleanups.push(() => ((stopping = true), second.stop()));
      agentUrl = second.url;
    }
    const em = platformEm(running.app.orm); // the platform operator, made as the test harness makes it
    em.create(User, { tenant: null, email: OPERATOR.email, name: 'Bench operator', role: Role.PLATFORM_OPERATOR, passwordHash: await hashPassword(OPERATOR.password) });
    await em.flush();
    const operatorToken = (await gql(running.url, 'mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', { i: OPERATOR })).signIn.accessToken;

    const floor = await chatFloor(running.url, operatorToken, CONVERSATIONS);
    const visitors = await openChats(running.url, agentUrl, floor, CONVERSATIONS, log);

    const cpu = cpus();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    await client.end();
    log(`machine: ${cpu.length} CPUs (${cpu[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}/${process.arch}`);
    log(`node ${process.version}; PostgreSQL ${rows[0].v} (${postgres.where}), database ${dbName}`);
    log(redisUrl
      ? `two API instances on Redis ${redisUrl}: visitors on ${running.url} (this process), agents on ${agentUrl} (a child process)`
      : `one API instance (this process), ${running.url}`);
    log(`traffic: ${CONVERSATIONS} conversations, ${floor.agentTokens.length} agents, ${RATE} message/s per conversation (${(CONVERSATIONS * RATE).toFixed(0)}/s offered) for ${DURATION}s, then up to ${DRAIN}s for stragglers`);
    log('the API and the relay run in this process, one after the other; the visitors and agents run in a worker thread');

    const job = { rate: RATE, duration: DURATION, drain: DRAIN, visitors, agents: floor.agentTokens };
    const results: [string, TrafficResult][] = [];
    log('measuring switchboard ...');
    sqlStatements = 0;
    const elu = performance.eventLoopUtilization();
    results.push(['switchboard', await runTraffic({ ...job, target: 'switchboard', visitorUrl: running.url, agentUrl } satisfies TrafficJob)]);
    const busy = performance.eventLoopUtilization(elu).utilization;
    log(`switchboard run: this process's event loop (the API${redisUrl ? ' of the visitors' : ''}) ${(busy * 100).toFixed(0)}% busy; ${sqlStatements} SQL statements (${(sqlStatements / results[0][1].sent).toFixed(1)} per message sent)`);
    // The API may still be working through what the visitors sent: let it finish before the relay is measured.
    const settleStart = performance.now();
    for (let last = performance.eventLoopUtilization(); performance.now() - settleStart < 60_000; ) {
      await new Promise((r) => setTimeout(r, 500));
      const now = performance.eventLoopUtilization();
      if (performance.eventLoopUtilization(now, last).utilization < 0.1) break;
      last = now;
    }
    log(`the API was idle again ${((performance.now() - settleStart) / 1000).toFixed(1)}s after the run`);
    const relay = await startRelay(databaseUrl);
    cleanups.push(() => relay.close());
    log('measuring relay ...');
    results.push(['relay', await runTraffic({ ...job, target: 'relay', visitorUrl: relay.url, agentUrl: relay.url })]);
    if (relay.errors()) results[1][1].problems.push(`${relay.errors()} relay inserts failed`);
    report(results);
    code = 0;
  }
} catch (err) {
  console.error('[bench] failed:', err);
} finally {
  await cleanUp();
}
process.exit(code);
