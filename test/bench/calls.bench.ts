/**
 * `npm run bench:calls`: what Kamailio's HTTP questions cost the API. Three phases against the
 * real API, each with BENCH_CONCURRENCY (5) callers in a loop for BENCH_DURATION (10) seconds:
 *  1. baseline: a malformed route request (secret check, JSON, 400 reject; no database);
 *  2. decisions: inbound route requests when no agent is free (DID, trunk allow-list, channel
 *     count under the licence lock, blacklist, schedule, contact, interaction, dispatch attempt,
 *     no-agent answer);
 *  3. whole calls: route -> answered -> ended -> the agent's closeInteraction, one agent per
 *     caller (5 seats, so at most 5).
 * Prints requests or calls per second and p50/p99 of the route request, and the ratio to the
 * baseline. Nothing here asserts timings.
 * PostgreSQL: TEST_DATABASE_URL (or DATABASE_URL)'s server, else an embedded one.
 */
import { performance } from 'node:perf_hooks';
import { cpus, totalmem } from 'node:os';
import { providePostgres, type Cleanups } from './chat-setup.js';

process.env.PASSWORD_HASH_COST ??= '12';
const { startTestApi } = await import('../../api/src/testing/harness.js');
const { floor } = await import('../../api/src/testing/contact-centre.js');
const { callEvent, invite, postKamailio } = await import('../../api/src/testing/kamailio-peer.js');
const { sipUsername, tenantSipDomain } = await import('../../api/src/modules/telephony/sip-identity.js');

const option = (name: string, fallback: number) => {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number >= 1`);
  return value;
};
const DURATION = option('BENCH_DURATION', 10);
const CONCURRENCY = Math.min(5, option('BENCH_CONCURRENCY', 5));
const log = (m: string) => console.log(`[bench] ${m}`);

const cleanups: Cleanups = [];
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Runs `once` in CONCURRENCY loops for DURATION seconds; `once` returns the route request's latency in ms. */
async function phase(name: string, once: (worker: number) => Promise<number>, workers = CONCURRENCY) {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + DURATION * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < until) {
        try {
          latencies.push(await once(worker));
        } catch (err) {
          if (errors++ < 3) console.error(`[bench] ${name}:`, err);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const result = { name, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length, errors };
  log(`${name}: ${result.perSecond.toFixed(1)}/s, route p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms (${result.count} done, ${errors} errors)`);
  return result;
}

try {
  const pgInfo = await providePostgres(cleanups);
  process.env.TEST_DATABASE_URL = pgInfo.url;
  log(`${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; PostgreSQL: ${pgInfo.where}; ${CONCURRENCY} concurrent callers, ${DURATION} s per phase`);
  const api = await startTestApi();
  cleanups.push(() => api.stop());
  const f = await floor(api, { agents: CONCURRENCY, kind: 'VOICE', queue: { wrapUpSeconds: 0 }, campaign: { type: 'VOICE_INBOUND' } });
  const trunkId = (await api.ok('mutation { createSipTrunk(input: { name: "T", host: "203.0.113.5", allowedSources: ["203.0.113.0/24"] }) { id } }', {}, f.t.adminToken)).createSipTrunk.id;
  await api.ok('mutation($t: ID!, $c: ID) { addDid(input: { number: "+15145550100", trunkId: $t, campaignId: $c }) { id } }', { t: trunkId, c: f.campaignId }, f.t.adminToken);
  const tokenOf = new Map(f.agents.map((a) => [a.id.replace(/-/g, ''), a.token]));
  // calls are offered only to agents whose softphone is registered: register each as Kamailio would report it
  const sipDomain = tenantSipDomain(f.t.slug, api.running.app.config.telephony);
  for (const a of f.agents) {
    const r = await postKamailio(api, 'registration', { event: 'registered', username: sipUsername(a.id), domain: sipDomain, contact: `sip:${sipUsername(a.id)}@127.0.0.1:5999`, expires: 3600, transport: 'udp' });
    if (!r.body.ok) throw new Error(`registration refused: ${JSON.stringify(r.body)}`);
  }
  await api.running.app.orm.em.getConnection().execute('analyze'); // planner statistics, as a running database has them
  let n = 0;
  const caller = () => `+1438${String(1000000 + (n++ % 9000000)).slice(1)}`;
  const timed = async <T,>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const r = await fn();
    return [r, performance.now() - t0];
  };

  const baseline = await phase('baseline (malformed route request)', async () => (await timed(() => postKamailio(api, 'route', { callId: 'x' })))[1]);

  for (const a of f.agents) await api.ok('mutation { setMyAgentState(status: PAUSED, pauseReason: "bench") { status } }', {}, a.token);
  api.queries.reset();
  const lone = await postKamailio(api, 'route', invite({ fromUser: caller(), sourceIp: '203.0.113.5' }));
  log(`one decision (answer ${lone.body.code ?? lone.body.action}, no agent free): ${api.queries.count} SQL statements`);
  const decisions = await phase('route decisions, no agent free', async () => {
    const [r, ms] = await timed(() => postKamailio(api, 'route', invite({ fromUser: caller(), sourceIp: '203.0.113.5' })));
    if (r.body.code !== 486) throw new Error(JSON.stringify(r.body));
    return ms;
  });

  for (const a of f.agents) await api.ok('mutation { setMyAgentState(status: AVAILABLE) { status } }', {}, a.token);
  api.queries.reset();
  const probe = invite({ fromUser: caller(), sourceIp: '203.0.113.5' });
  const offered = await postKamailio(api, 'route', probe);
  log(`one decision (answer ${offered.body.code ?? offered.body.action}, agent offered): ${api.queries.count} SQL statements`);
  if (offered.body.action === 'agent') {
    const id = offered.body.interactionId as string;
    for (const [event, extra] of [['ringing', {}], ['answered', {}], ['ended', { code: 200, by: 'caller' }]] as const) {
      api.queries.reset();
      await callEvent(api, probe.callId, id, event, extra);
      log(`one '${event}' call event: ${api.queries.count} SQL statements`);
    }
    const token = tokenOf.get(/sip:a([0-9a-f]{32})@/.exec(offered.body.aor)![1]!)!;
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id }, token);
  }
  const wholeCall = async () => {
    const req = invite({ fromUser: caller(), sourceIp: '203.0.113.5' });
    const [r, ms] = await timed(() => postKamailio(api, 'route', req));
    if (r.body.action !== 'agent') return ms; // every agent busy at this instant: the caller got 486
    const id = r.body.interactionId as string;
    await callEvent(api, req.callId, id, 'answered');
    await callEvent(api, req.callId, id, 'ended', { code: 200, by: 'caller' });
    const token = tokenOf.get(/sip:a([0-9a-f]{32})@/.exec(r.body.aor)![1]!)!;
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id }, token);
    return ms;
  };
  await phase('whole calls, 1 caller (route offered to an agent)', wholeCall, 1);
  const calls = await phase('whole calls (route, answered, ended, close)', wholeCall);

  log(`route decision vs baseline: ${(baseline.perSecond / decisions.perSecond).toFixed(1)}x fewer per second, p50 ${(decisions.p50 / baseline.p50).toFixed(1)}x`);
  log(`whole calls: ${calls.perSecond.toFixed(1)} calls/s with ${CONCURRENCY} agents (4 API requests each)`);
} finally {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((err) => console.error('[bench] cleanup:', err));
}
