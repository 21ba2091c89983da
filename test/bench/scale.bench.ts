/**
 * `npm run bench:scale`: flat cost as history grows (issue 20). Makes a demo-sized tenant and
 * times every operation (scale-ops.ts) on it; then writes a large tenant and its neighbours
 * (scale-data.ts: the issue's sizes times BENCH_SCALE) and times them again on the large tenant
 * and on the demo tenant beside it (isolation). Prints p50/p99 per operation and size, the growth
 * factor (large p50 / demo p50), the budgets, and the SQL plans of every operation over budget.
 * Nothing here asserts timings; every answer is checked once per tenant before it is timed.
 *
 * PostgreSQL: TEST_DATABASE_URL (or DATABASE_URL)'s server, else an embedded one in a temporary
 * folder; the run gets its own database, dropped at the end (BENCH_KEEP=1 keeps it).
 * Options: BENCH_SCALE (1 = 2.6 M interactions; 0.05 takes a few minutes), BENCH_SAMPLES (30),
 * BENCH_OP_SECONDS (per operation and size, 10: slow operations get fewer samples, at least 3).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { cleanupsOnExit, log, machine, ms, numberOption, providePostgres, summarize, type Latencies } from './bench-kit.js';
import { DEMO, LARGE, NEIGHBOUR, scaled } from './scale-data.js';
import { gate, OPERATIONS, PLATFORM_OPERATIONS, type Operation, type Target } from './scale-ops.js';
import { checkPurge, tenantWithHistory, untilReady, type Api } from './scale-setup.js';

process.env.PASSWORD_HASH_COST ??= '12'; // read when the API's modules load, hence the dynamic imports
const { start } = await import('../../api/src/server/start.js');
const { createLogger } = await import('../../api/src/platform/logger.js');
const { createDatabase, dropDatabase } = await import('../../api/src/platform/db/scratch.js');
const { platformEm } = await import('../../api/src/platform/db/orm.js');
const { hashPassword } = await import('../../api/src/platform/auth/password.js');
const { Role } = await import('../../api/src/platform/auth/permissions.js');
const { User } = await import('../../api/src/modules/identity/user.entity.js');
const { purgeExpired } = await import('../../api/src/modules/interactions/retention.js');

const SCALE = numberOption('BENCH_SCALE', 1, { min: 0.0001, max: 10 });
const SAMPLES = numberOption('BENCH_SAMPLES', 30, { min: 3, whole: true });
const OP_SECONDS = numberOption('BENCH_OP_SECONDS', 10, { min: 1 });
const OPERATOR = { email: 'operator@bench.local', password: 'operator-password' };

const { cleanups, cleanUp } = cleanupsOnExit();

/** Operations that failed (e.g. the statement timeout) at some size: shown instead of figures. */
const failures = new Map<string, string>();

async function measure(op: Operation, target: Target): Promise<Latencies> {
  for (let i = 0; i < 2; i++) await op.run(target); // warm caches and plans
  const samples: number[] = [];
  const until = performance.now() + OP_SECONDS * 1000;
  while (samples.length < SAMPLES && (samples.length < 3 || performance.now() < until)) {
    const t0 = performance.now();
    await op.run(target);
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

/** Runs the operation once with every statement captured, and answers the plan of the slowest read. */
async function slowestPlan(api: Api, op: Operation, target: Target): Promise<string> {
  const config = api.app.orm.config;
  const previous = config.get('onQuery');
  const statements: string[] = [];
  const platform = api.app.orm.em.getPlatform();
  config.set('onQuery', (sql: string, params: readonly unknown[]) => {
    statements.push(platform.formatQuery(sql, params as unknown[]));
    return previous(sql, params);
  });
  try {
    await op.run(target);
  } finally {
    config.set('onQuery', previous);
  }
  let worst = { time: -1, plan: '(no read statement)' };
  for (const sql of statements.filter((s) => /^\s*(select|with)\b/i.test(s) && !/\b(update|delete|insert)\b/i.test(s) && !/for update/i.test(s))) {
    const rows = (await api.db.query(`explain (analyze, buffers) ${sql}`)).rows.map((r) => r['QUERY PLAN'] as string);
    const time = Number(/Execution Time: ([\d.]+)/.exec(rows.at(-1) ?? '')?.[1] ?? 0);
    if (time > worst.time) worst = { time, plan: `${sql}\n${rows.join('\n')}` };
  }
  return worst.plan;
}

async function main() {
  log(machine());
  const server = await providePostgres(cleanups);
  const name = `sb_scale_${randomBytes(5).toString('hex')}`;
  const databaseUrl = await createDatabase(server.url, name);
  if (!process.env.BENCH_KEEP) cleanups.push(() => dropDatabase(server.url, name));
  log(`PostgreSQL: ${server.where}; database ${name}; BENCH_SCALE=${SCALE}`);
  const running = await start({
    config: { databaseUrl, host: '127.0.0.1', port: 0, seedDemo: false, publicUrl: undefined, routingSweepSeconds: 0 },
    logger: createLogger(process.env.BENCH_LOG_LEVEL || 'warn'),
  });
  cleanups.push(() => running.stop());
  const em = platformEm(running.app.orm);
  em.create(User, { tenant: null, email: OPERATOR.email, name: 'Bench operator', role: Role.PLATFORM_OPERATOR, passwordHash: await hashPassword(OPERATOR.password) });
  await em.flush();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const signedIn = await fetch(`${running.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }', variables: { input: OPERATOR } }),
  }).then((r) => r.json() as Promise<{ data: { signIn: { accessToken: string } } }>);
  const api: Api = { url: running.url, operatorToken: signedIn.data.signIn.accessToken, app: running.app, db };

  const results = new Map<string, Record<string, Latencies>>();
  const record = (op: string, column: string, l: Latencies) => results.set(op, { ...results.get(op), [column]: l });
  const timeAll = async (column: string, target: Target, ops: Operation[]) => {
    await untilReady(api.url);
    for (const op of ops) {
      const answer = await op.run(target).then((a) => op.check(target, a)).then(() => null, (err: Error) => err.message.slice(0, 160));
      if (answer) {
        failures.set(`${op.name}/${column}`, answer);
        log(`${column.padEnd(7)} ${op.name}: FAILED: ${answer}`);
        continue;
      }
      const l = await measure(op, target);
      record(op.name, column, l);
      log(`${column.padEnd(7)} ${op.name}: p50 ${ms(l.p50)} ms, p99 ${ms(l.p99)} ms (${l.count} samples)`);
    }
  };
  const purgeSessions = async (column: string) => {
    // the nightly session purge (api/src/modules/identity/session-purge.ts); absent before issue 20
    const job = await import('../../api/src/modules/identity/session-purge.js').catch(() => null);
    if (!job) return log('no session purge job in this tree: sessions stay');
    const t0 = performance.now();
    const n = await job.purgeSessions(running.app);
    record('session purge (nightly)', column, summarize([performance.now() - t0]));
    log(`${column} session purge: ${n} ended sessions deleted in ${ms(performance.now() - t0)} ms`);
  };
  const timePurge = async (column: string) => {
    const t0 = performance.now();
    const first = await purgeExpired(running.app);
    record('retention purge, one night due', column, summarize([performance.now() - t0]));
    log(`${column} retention purge: ${first.interactions} interactions, ${first.messages} messages in ${ms(performance.now() - t0)} ms`);
    record('retention purge, nothing due', column, await measure({ name: 'purge', budgetMs: 0, run: () => purgeExpired(running.app), check: async () => {} }, undefined as never));
  };

  log('demo tenant');
  const demo = await tenantWithHistory(api, 'demo', DEMO, log);
  await purgeSessions('demo');
  await db.query('analyze');
  await timeAll('demo', demo, [...OPERATIONS, ...PLATFORM_OPERATIONS]);
  await timePurge('demo');

  log(`large tenant and ${3} neighbours at BENCH_SCALE=${SCALE}`);
  const large = await tenantWithHistory(api, 'large', scaled(LARGE, SCALE), log);
  for (let n = 1; n <= 3; n++) await tenantWithHistory(api, `near${n}`, scaled(NEIGHBOUR, SCALE), log);
  await purgeSessions('large');
  const vacuum = performance.now();
  await db.query('vacuum analyze');
  log(`vacuum analyze: ${ms(performance.now() - vacuum, 0)} ms`);
  await timeAll('large', large, [...OPERATIONS, ...PLATFORM_OPERATIONS]);
  await timeAll('beside', demo, OPERATIONS);
  await timePurge('large');
  await checkPurge(api);

  if (gate.closed) log(`the API's readiness gate was closed ${gate.closed} times (database ping missed under load); those requests were retried and their samples include the wait`);
  const budgets = new Map([...OPERATIONS, ...PLATFORM_OPERATIONS].map((o) => [o.name, o.budgetMs]));
  console.log(`\nBENCH_SCALE=${SCALE} (large tenant: ${scaled(LARGE, SCALE).interactions} interactions, ${scaled(NEIGHBOUR, SCALE).interactions} per neighbour x3); ${machine()}`);
  console.log('operation                              | budget p99 |  demo p50 |  demo p99 | large p50 | large p99 | growth | demo beside large p50 | met');
  for (const key of failures.keys()) {
    const op = key.slice(0, key.lastIndexOf('/'));
    if (!results.has(op)) results.set(op, {});
  }
  for (const [op, r] of results) {
    const budget = budgets.get(op);
    const cell = (column: string, l: Latencies | undefined, key: 'p50' | 'p99') => (failures.has(`${op}/${column}`) ? 'failed' : ms(l?.[key] ?? NaN));
    const growth = r.large && r.demo ? `${(r.large.p50 / r.demo.p50).toFixed(1)}x` : '-';
    const met = budget === undefined ? '-' : r.large && r.large.p99 <= budget ? 'yes' : 'NO';
    console.log(
      `${op.padEnd(38)} | ${(budget === undefined ? '-' : `${budget} ms`).padStart(10)} | ${cell('demo', r.demo, 'p50').padStart(9)} | ${cell('demo', r.demo, 'p99').padStart(9)} | ${cell('large', r.large, 'p50').padStart(9)} | ${cell('large', r.large, 'p99').padStart(9)} | ${growth.padStart(6)} | ${cell('beside', r.beside, 'p50').padStart(21)} | ${met}`,
    );
  }
  for (const op of [...OPERATIONS, ...PLATFORM_OPERATIONS]) {
    if (failures.has(`${op.name}/large`)) console.log(`\n--- failed at the large size: ${op.name}: ${failures.get(`${op.name}/large`)}`);
    const l = results.get(op.name)?.large;
    if (l && l.p99 > op.budgetMs) console.log(`\n--- over budget: ${op.name} (p99 ${ms(l.p99)} ms > ${op.budgetMs} ms); slowest statement:\n${await slowestPlan(api, op, large)}`);
  }
}

try {
  await main();
} finally {
  await cleanUp();
}
