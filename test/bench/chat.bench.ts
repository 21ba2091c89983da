/**
 * `npm run bench:chat`: N concurrent webchat conversations against the real API, then the same
 * traffic through a minimal relay (plain `ws` + one PostgreSQL insert per message), in rising
 * steps of offered load until each target saturates. Prints "delivered/s at N/s offered", latency
 * p50/p99 (visitor send -> agent receives) for every step, each target's saturation point, what
 * became of every message (delivered; refused, by code; failed; still in flight at the end) and
 * the comparison between the two. Nothing here asserts timings.
 *
 * Visitors send as the chat widget does: the widget's own transport (widgets/src/core/transport.ts),
 * one graphql-ws socket per visitor with the page's Origin, `sendVisitorMessage` over it and
 * `visitorEvents` subscribed on it; the relay's visitors keep one plain WebSocket each too. Agents
 * (written capacity 20, so N / 20 of them): `interactionEvents` on a WebSocket each, accepting their
 * offers during setup, then receiving the visitors' messages. Open loop: messages leave on
 * schedule whether or not earlier ones were answered (chat-traffic.ts says when a step "kept up").
 *
 * The API refuses more than 10 messages per 10 s from one visitor (RATE_LIMITED), so its steps stop
 * at 0.9 message/s per conversation (0.9 x N/s; more conversations reach further); the relay has
 * no such limit and rises up to BENCH_MAX_RATE. All visitors come from 127.0.0.1, so the
 * per-address limits on chat starts and anonymous WebSockets are switched off for the run.
 *
 * PostgreSQL: TEST_DATABASE_URL (or DATABASE_URL)'s server, else an embedded one in a temporary
 * folder; either way the run gets its own database, dropped at the end.
 * Options: BENCH_CONVERSATIONS (200); BENCH_STEP_SECONDS (5); BENCH_START_RATE (messages/s, all
 * conversations together; N / 10), doubled each step; BENCH_MAX_RATE (the relay's last step, 5000);
 * BENCH_RATES (e.g. "50,100,200": these steps for both targets instead; one value is a fixed-rate
 * run); BENCH_DRAIN (seconds to wait for messages in flight after the last step, 5);
 * BENCH_INSTANCES (1 or 2: 2 runs a second API process, both on Redis — REDIS_URL, TEST_REDIS_URL
 * or redis://127.0.0.1:6379 — with the agents on the second and the visitors on the first);
 * BENCH_VISITOR_EVENTS (1; 0: visitors do not subscribe to `visitorEvents`, to see what that costs).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { cleanupsOnExit, listOption, log, machine, numberOption, providePostgres } from './bench-kit.js';
import { gql } from './chat-clients.js';
import { report, stepLine } from './chat-report.js';
import { startRelay } from './chat-relay.js';
import { chatFloor, openChats } from './chat-setup.js';
import { runTraffic, type TrafficJob, type TrafficResult } from './chat-traffic.js';

process.env.PASSWORD_HASH_COST ??= '12'; // read when the API's modules load, hence the dynamic imports
// every visitor comes from 127.0.0.1: the per-address anti-flood limits would refuse all but the first few
process.env.WEBCHAT_STARTS_PER_ADDRESS = '0';
process.env.WEBCHAT_STARTS_PER_KEY = '0';
process.env.WS_MAX_ANONYMOUS_SOCKETS_PER_ADDRESS = '0';
const { start } = await import('../../api/src/server/start.js');
const { createLogger } = await import('../../api/src/platform/logger.js');
const { createDatabase, dropDatabase } = await import('../../api/src/platform/db/scratch.js');
const { platformEm } = await import('../../api/src/platform/db/orm.js');
const { hashPassword } = await import('../../api/src/platform/auth/password.js');
const { Role } = await import('../../api/src/platform/auth/permissions.js');
const { User } = await import('../../api/src/modules/identity/user.entity.js');
const { checkRedis } = await import('../../api/src/platform/pubsub.js');
const { spawnApi } = await import('../../api/src/testing/process.js');
const { RATE_LIMIT } = await import('../../api/src/modules/webchat/webchat.service.js');

const CONVERSATIONS = numberOption('BENCH_CONVERSATIONS', 200, { min: 1, whole: true });
const STEP_SECONDS = numberOption('BENCH_STEP_SECONDS', 5, { min: 1 });
const START_RATE = numberOption('BENCH_START_RATE', Math.max(1, CONVERSATIONS / 10), { min: 0.1 });
const MAX_RATE = numberOption('BENCH_MAX_RATE', 5000, { min: START_RATE });
const RATES = listOption('BENCH_RATES', [], 0.1);
const DRAIN = numberOption('BENCH_DRAIN', 5, { min: 0 });
const INSTANCES = numberOption('BENCH_INSTANCES', 1, { min: 1, max: 2, whole: true });
const VISITOR_EVENTS = process.env.BENCH_VISITOR_EVENTS !== '0';
const OPERATOR = { email: 'operator@bench.local', password: 'operator-password' };
/** The API's flood limit, less a tenth so that timer jitter does not trip it. */
const FLOOD_CEILING = 0.9 * (RATE_LIMIT.messages / RATE_LIMIT.windowSeconds) * CONVERSATIONS;

/** Doubling steps from START_RATE, the last one `max`. */
function ramp(max: number): number[] {
  const steps: number[] = [];
  for (let r = START_RATE; r < max; r *= 2) steps.push(Math.round(r * 10) / 10);
  return [...steps, max];
}
const plan = RATES.length
  ? { switchboard: RATES, relay: RATES, ceilings: ['the last of BENCH_RATES', 'the last of BENCH_RATES'] }
  : {
      switchboard: ramp(FLOOD_CEILING),
      relay: ramp(MAX_RATE),
      ceilings: [`${FLOOD_CEILING}/s is the most the API's flood limit lets ${CONVERSATIONS} visitors send: raise BENCH_CONVERSATIONS`, 'BENCH_MAX_RATE'],
    };

const { cleanups, cleanUp } = cleanupsOnExit();
let sqlStatements = 0; // by the API in this process

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

/** Waits until this process's event loop is idle again (the API finishing what it was sent), at most a minute. */
async function settle(): Promise<number> {
  const begun = performance.now();
  for (let last = performance.eventLoopUtilization(); performance.now() - begun < 60_000; ) {
    await new Promise((r) => setTimeout(r, 500));
    const now = performance.eventLoopUtilization();
    if (performance.eventLoopUtilization(now, last).utilization < 0.1) break;
    last = now;
  }
  return (performance.now() - begun) / 1000;
}

let code = 1;
try {
  const redisUrl = INSTANCES === 2 ? await redis() : undefined;
  if (redisUrl === null) {
    code = 0;
  } else {
    if (RATES.some((r) => r > FLOOD_CEILING)) log(`note: BENCH_RATES above ${FLOOD_CEILING}/s exceed what the API's flood limit lets ${CONVERSATIONS} visitors send: expect RATE_LIMITED refusals`);
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

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    await client.end();
    log(`machine: ${machine()}`);
    log(`PostgreSQL ${rows[0].v} (${postgres.where}), database ${dbName}`);
    log(redisUrl
      ? `two API instances on Redis ${redisUrl}: visitors on ${running.url} (this process), agents on ${agentUrl} (a child process)`
      : `one API instance (this process), ${running.url}`);
    log(`traffic: ${CONVERSATIONS} conversations, ${floor.agentTokens.length} agents; visitors on the widget's transport (one graphql-ws socket each${VISITOR_EVENTS ? ', visitorEvents subscribed' : ', no visitorEvents'}); steps of ${STEP_SECONDS}s, stopping after the first one not kept up, then up to ${DRAIN}s for messages in flight`);
    log(`offered messages/s, switchboard: ${plan.switchboard.join(', ')}; relay: ${plan.relay.join(', ')}`);
    log('the API and the relay run in this process, one after the other; the visitors and agents run in a worker thread');

    const job = { stepSeconds: STEP_SECONDS, drain: DRAIN, visitors, agents: floor.agentTokens, visitorEvents: VISITOR_EVENTS };
    const results: [string, TrafficResult][] = [];
    log('measuring switchboard ...');
    sqlStatements = 0;
    const elu = performance.eventLoopUtilization();
    const sb = await runTraffic({ ...job, rates: plan.switchboard, target: 'switchboard', visitorUrl: running.url, agentUrl } satisfies TrafficJob, (s) => log(stepLine('switchboard', s)));
    results.push(['switchboard', sb]);
    const busy = performance.eventLoopUtilization(elu).utilization;
    log(`switchboard run: this process's event loop (the API${redisUrl ? ' of the visitors' : ''}) ${(busy * 100).toFixed(0)}% busy; ${sqlStatements} SQL statements (${(sqlStatements / Math.max(1, sb.outcomes.sent)).toFixed(1)} per message sent)`);
    log(`the API was idle again ${(await settle()).toFixed(1)}s after the run`); // before the relay is measured
    const relay = await startRelay(databaseUrl);
    cleanups.push(() => relay.close());
    log('measuring relay ...');
    const base = await runTraffic({ ...job, rates: plan.relay, target: 'relay', visitorUrl: relay.url, agentUrl: relay.url }, (s) => log(stepLine('relay', s)));
    results.push(['relay', base]);
    report(results, plan.ceilings, DRAIN);
    code = 0;
  }
} catch (err) {
  console.error('[bench] failed:', err);
} finally {
  await cleanUp();
}
process.exit(code);
