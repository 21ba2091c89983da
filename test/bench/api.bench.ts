/**
 * `npm run bench:api`: an authenticated GraphQL list query against the real API, and the same
 * data from a minimal Fastify + pg route, under the same load. Prints requests/s, p50/p99 latency
 * and the ratio between the two. Nothing here asserts timings.
 *
 * PostgreSQL: TEST_DATABASE_URL (or DATABASE_URL)'s server, else an embedded one in a temporary
 * folder; either way the run gets its own database, dropped at the end.
 * Options: BENCH_DURATION (seconds, 10), BENCH_CONNECTIONS (10), BENCH_WARMUP (seconds, 2).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import pg from 'pg';
import { cleanupsOnExit, log, machine, ms, numberOption, providePostgres } from './bench-kit.js';
import type { LoadJob, LoadResult } from './load-worker.js';

process.env.PASSWORD_HASH_COST ??= '12'; // read when the API's modules load, hence the dynamic imports
const { start } = await import('../../api/src/server/start.js');
const { createLogger } = await import('../../api/src/platform/logger.js');
const { createDatabase, dropDatabase } = await import('../../api/src/platform/db/scratch.js');
const { platformEm } = await import('../../api/src/platform/db/orm.js');
const { hashPassword } = await import('../../api/src/platform/auth/password.js');
const { Role } = await import('../../api/src/platform/auth/permissions.js');
const { User } = await import('../../api/src/modules/identity/user.entity.js');

const DURATION = numberOption('BENCH_DURATION', 10, { min: 1, whole: true });
const CONNECTIONS = numberOption('BENCH_CONNECTIONS', 10, { min: 1, whole: true });
const WARMUP = numberOption('BENCH_WARMUP', 2, { min: 0, whole: true });

const QUERY = '{ users(first: 20) { totalCount edges { node { id email name role securityGroups { id name } } } } }';
/** Users in the tenant: its administrator, 20 made by seed() and a spare administrator (off the page). */
const USERS = 22;
const OPERATOR = { email: 'operator@bench.local', password: 'operator-password' };
const BASELINE_TOKEN = 'baseline-token';

type UserNode = { id: string; email: string; name: string; role: string; securityGroups: { id: string; name: string }[] };
type UsersAnswer = { data: { users: { totalCount: number; edges: { node: UserNode }[] } } };

const { cleanups, cleanUp } = cleanupsOnExit();

/** A GraphQL call that throws on errors. */
async function gql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const result = (await response.json()) as { data?: T; errors?: unknown[] };
  if (result.errors?.length || !result.data) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(result.errors)}`);
  return result.data;
}

const signIn = (url: string, input: { email: string; password: string; tenant?: string }) =>
  gql<{ signIn: { accessToken: string } }>(url, 'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }', { input }).then(
    (r) => r.signIn.accessToken,
  );

/** A tenant with 20 users plus its administrator in 1-2 of 3 security groups, a spare administrator, and an API key that may read users. */
async function seed(url: string): Promise<{ tenantId: string; apiKey: string }> {
  const operator = await signIn(url, OPERATOR);
  const slug = 'bench';
  const admin = { email: `admin@${slug}.example`, password: 'admin-password-1' };
  const created = await gql<{ createTenant: { tenant: { id: string }; administrator: { id: string } } }>(
    url,
    'mutation($input: CreateTenantInput!) { createTenant(input: $input) { tenant { id } administrator { id } } }',
    { input: { name: 'Bench tenant', slug, timeZone: 'UTC', administrator: { ...admin, name: 'Admin' } } },
    operator,
  );
  const token = await signIn(url, { ...admin, tenant: slug });
  const groupIds: string[] = [];
  for (const name of ['Support', 'Sales', 'Billing']) {
    const r = await gql<{ createSecurityGroup: { id: string } }>(
      url,
      'mutation($input: SecurityGroupInput!) { createSecurityGroup(input: $input) { id } }',
      { input: { name, permissions: ['USERS_READ'] } },
      token,
    );
    groupIds.push(r.createSecurityGroup.id);
  }
  const setGroups = (userId: string, ids: string[]) =>
    gql(url, 'mutation($u: ID!, $g: [ID!]!) { setUserSecurityGroups(userId: $u, securityGroupIds: $g) { id } }', { u: userId, g: ids }, token);
  for (let i = 0; i < 20; i++) {
    const r = await gql<{ createUser: { user: { id: string } } }>(
      url,
      'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }',
      { input: { email: `user${i}@${slug}.example`, name: `User ${i}`, role: i % 4 ? 'AGENT' : 'SUPERVISOR', password: 'user-password-1' } },
      token,
    );
    await setGroups(r.createUser.user.id, i % 2 ? [groupIds[i % 3]] : [groupIds[i % 3], groupIds[(i + 1) % 3]]);
  }
  const key = await gql<{ createApiKey: { secret: string } }>(
    url,
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    { input: { name: 'bench', scopes: ['USERS_READ'] } },
    token,
  );
  // The administrator (first user of the page) joins a group too. Nobody changes their own groups,
  // and only someone holding every right of theirs may change them: a second administrator, made
  // last so that it falls outside the page of 20 (ids follow creation order).
  const spare = { email: `spare-admin@${slug}.example`, password: 'spare-password-1' };
  await gql(url, 'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }', { input: { ...spare, name: 'Spare admin', role: 'ADMINISTRATOR' } }, token);
  await gql(
    url,
    'mutation($u: ID!, $g: [ID!]!) { setUserSecurityGroups(userId: $u, securityGroupIds: $g) { id } }',
    { u: created.createTenant.administrator.id, g: [groupIds[0]] },
    await signIn(url, { ...spare, tenant: slug }),
  );
  return { tenantId: created.createTenant.tenant.id, apiKey: key.createApiKey.secret };
}

/** The baseline: the same answer from three plain SQL statements, behind a constant-token check. */
async function startBaseline(pool: pg.Pool, tenantId: string): Promise<string> {
  const app = Fastify({ logger: false });
  cleanups.push(() => app.close());
  app.post('/graphql', async (request, reply) => {
    if (request.headers.authorization !== `Bearer ${BASELINE_TOKEN}`) return reply.code(401).send({ error: 'unauthenticated' });
    const [users, count] = await Promise.all([
      pool.query<Omit<UserNode, 'securityGroups'>>(
        'select id, email, name, role from app_user where tenant_id = $1 order by id limit 20',
        [tenantId],
      ),
      pool.query<{ n: number }>('select count(*)::int as n from app_user where tenant_id = $1', [tenantId]),
    ]);
    const groups = await pool.query<{ user_id: string; id: string; name: string }>(
      `select m.user_id, g.id, g.name from security_group_member m join security_group g on g.id = m.group_id
        where m.tenant_id = $1 and m.user_id = any($2) order by g.name`,
      [tenantId, users.rows.map((u) => u.id)],
    );
    const edges = users.rows.map((u) => ({
      node: { ...u, securityGroups: groups.rows.filter((g) => g.user_id === u.id).map((g) => ({ id: g.id, name: g.name })) },
    }));
    return { data: { users: { totalCount: count.rows[0].n, edges } } };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

const headersFor = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

/** Asks once, checks the answer, and returns its exact text (what every response must repeat). */
async function answerOf(url: string, token: string): Promise<{ text: string; answer: UsersAnswer }> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: headersFor(token), body: JSON.stringify({ query: QUERY }) });
  const text = await response.text();
  const answer = JSON.parse(text) as UsersAnswer;
  const edges = answer.data?.users?.edges ?? [];
  const ok = response.ok && edges.length === 20 && edges.every((e) => e.node.securityGroups.length > 0) && answer.data.users.totalCount === USERS;
  if (!ok) throw new Error(`unexpected answer from ${url} (${response.status}): ${text.slice(0, 500)}`);
  return { text, answer };
}

function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: job });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`load generator exited (${code}) without a result`)));
  });
}

let code = 1;
try {
  const postgres = await providePostgres(cleanups);
  const dbName = `sb_bench_${randomBytes(6).toString('hex')}`;
  const databaseUrl = await createDatabase(postgres.url, dbName);
  cleanups.push(() => dropDatabase(postgres.url, dbName));

  const running = await start({
    config: { databaseUrl, host: '127.0.0.1', port: 0, seedDemo: false },
    logger: createLogger('silent'),
  });
  cleanups.push(() => running.stop());
  const em = platformEm(running.app.orm); // the platform operator, made as the test harness makes it
  const passwordHash = await hashPassword(OPERATOR.password);
  em.create(User, { tenant: null, email: OPERATOR.email, name: 'Bench operator', role: Role.PLATFORM_OPERATOR, passwordHash });
  await em.flush();
  const { tenantId, apiKey } = await seed(running.url);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 }); // as many as the API's pool
  pool.on('error', (err) => console.error('[bench] baseline pool:', err.message)); // an idle connection lost
  cleanups.push(() => pool.end());
  const baselineUrl = await startBaseline(pool, tenantId);

  const api = await answerOf(running.url, apiKey);
  const baseline = await answerOf(baselineUrl, BASELINE_TOKEN);
  assert.deepEqual(baseline.answer, api.answer, 'the baseline must serve the same data as the API');

  const { rows } = await pool.query<{ v: string }>("select current_setting('server_version') as v");
  log(`machine: ${machine()}`);
  log(`PostgreSQL ${rows[0].v} (${postgres.where}), database ${dbName}`);
  log(`query: ${QUERY}`);
  log(`data: ${USERS} users in the tenant, 3 security groups, the page of 20 has ${api.answer.data.users.edges.reduce((n, e) => n + e.node.securityGroups.length, 0)} memberships`);
  log(`load: autocannon, POST /graphql, ${CONNECTIONS} connections, ${WARMUP}s warm-up then ${DURATION}s measured, one target after the other`);
  log('both servers run in this process (one event loop, both idle while the other is measured); the load generator runs in a worker thread');

  const job = { body: JSON.stringify({ query: QUERY }), connections: CONNECTIONS, warmup: WARMUP, duration: DURATION };
  const results: [string, LoadResult][] = [];
  for (const [name, url, token, expected] of [
    ['switchboard', running.url, apiKey, api.text],
    ['baseline', baselineUrl, BASELINE_TOKEN, baseline.text],
  ] as const) {
    log(`measuring ${name} ...`);
    results.push([name, await load({ ...job, url: `${url}/graphql`, headers: headersFor(token), expectBody: expected })]);
  }

  const row = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(12) : c.padEnd(12))).join('');
  console.log(`\n${row(['target', 'requests/s', 'p50 ms', 'p99 ms', 'errors', 'requests'])}`);
  for (const [name, r] of results) {
    console.log(row([name, r.requestsPerSecond.toFixed(1), ms(r.p50), ms(r.p99), String(r.errors), String(r.requests)]));
  }
  const [sb, base] = [results[0][1], results[1][1]];
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  console.log(`\nratio (switchboard / baseline): throughput ${ratio(sb.requestsPerSecond, base.requestsPerSecond)}, p99 ${ratio(sb.p99, base.p99)}`);
  code = 0;
} catch (err) {
  console.error('[bench] failed:', err);
} finally {
  await cleanUp();
}
process.exit(code);
