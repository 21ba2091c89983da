/**
 * `npm run bench:calls`: what Kamailio's HTTP questions cost the API. Three phases against the
 * real API, each with BENCH_CONCURRENCY (5) callers in a loop for BENCH_DURATION (10) seconds:
 *  1. baseline: a malformed route request (secret check, JSON, 400 reject; no database);
 *  2. decisions: inbound route requests when no agent is free (DID, trunk allow-list, channel
 *     count under the licence lock, blacklist, schedule, contact, interaction, dispatch attempt,
 *     no-agent answer);
 *  3. whole calls: route -> answered -> ended -> the agent's closeInteraction, one agent per
 *     caller (5 seats, so at most 5; BENCH_AGENTS below BENCH_CONCURRENCY leaves callers without one).
 * Prints requests, decisions or completed calls per second and p50/p99 (nearest rank) of the
 * route request, and the ratio to the baseline. A caller turned away in phase 3 (e.g. 486: every
 * agent busy at that instant) is not a call: such rejections are counted apart, by code, and left
 * out of calls/s and the percentiles. Nothing here asserts timings.
 * PostgreSQL: TEST_DATABASE_URL (or DATABASE_URL)'s server, else an embedded one.
 */
import { performance } from 'node:perf_hooks';
import { cleanupsOnExit, log, machine, ms, numberOption, providePostgres, summarize } from './bench-kit.js';

process.env.PASSWORD_HASH_COST ??= '12';
const { startTestApi } = await import('../../api/src/testing/harness.js');
const { floor } = await import('../../api/src/testing/contact-centre.js');
const { callEvent, invite, postKamailio, postOffContract } = await import('../../api/src/testing/kamailio-peer.js');
const { sipUsername, tenantSipDomain } = await import('../../api/src/modules/telephony/sip-identity.js');

const DURATION = numberOption('BENCH_DURATION', 10, { min: 1, whole: true });
const CONCURRENCY = numberOption('BENCH_CONCURRENCY', 5, { min: 1, max: 5, whole: true });
/** Fewer agents than callers: some callers find every agent busy and are rejected (486). */
const AGENTS = numberOption('BENCH_AGENTS', CONCURRENCY, { min: 1, max: CONCURRENCY, whole: true });

const { cleanups, cleanUp } = cleanupsOnExit();

/** One attempt: the route request's latency, and the answer's code when the caller was turned away instead of being served. */
interface Attempt {
  ms: number;
  rejected?: string;
}

/**
 * Runs `once` in `workers` loops for DURATION seconds. Served attempts make the rate and the
 * percentiles; rejected ones (e.g. 486: every agent busy at that instant) are counted apart, by code.
 */
async function phase(name: string, unit: string, once: (worker: number) => Promise<Attempt>, workers = CONCURRENCY) {
  const served: number[] = [];
  const rejected: Record<string, number[]> = {};
  let errors = 0;
  const until = performance.now() + DURATION * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < until) {
        try {
          const attempt = await once(worker);
          if (attempt.rejected === undefined) served.push(attempt.ms);
          else (rejected[attempt.rejected] ??= []).push(attempt.ms);
        } catch (err) {
          if (errors++ < 3) console.error(`[bench] ${name}:`, err);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const route = summarize(served);
  const result = { name, perSecond: route.count / seconds, p50: route.p50, p99: route.p99, count: route.count, rejected, errors };
  const turnedAway = Object.entries(rejected).map(([code, times]) => {
    const r = summarize(times);
    return `${code} x${r.count} (${(r.count / seconds).toFixed(1)}/s, route p50 ${ms(r.p50, 1)} ms)`;
  });
  log(`${name}: ${result.perSecond.toFixed(1)} ${unit}/s, route p50 ${ms(route.p50, 1)} ms, p99 ${ms(route.p99, 1)} ms (${route.count} ${unit}; ` +
    `rejected, not counted above: ${turnedAway.join(', ') || 'none'}; ${errors} errors)`);
  return result;
}

try {
  const pgInfo = await providePostgres(cleanups);
  process.env.TEST_DATABASE_URL = pgInfo.url;
  log(`machine: ${machine()}; PostgreSQL: ${pgInfo.where}; ${CONCURRENCY} concurrent callers, ${AGENTS} agents, ${DURATION} s per phase`);
  const api = await startTestApi();
  cleanups.push(() => api.stop());
  const f = await floor(api, { agents: AGENTS, kind: 'VOICE', queue: { wrapUpSeconds: 0 }, campaign: { type: 'VOICE_INBOUND' } });
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

  const baseline = await phase('baseline (malformed route request)', 'requests', async () => {
    const [r, ms] = await timed(() => postOffContract(api, 'route', { callId: 'x' }));
    if (r.body.code !== 400) throw new Error(`expected a 400 reject, got ${r.status}: ${JSON.stringify(r.body)}`);
    return { ms };
  });

  for (const a of f.agents) await api.ok('mutation { setMyAgentState(status: PAUSED, pauseReason: "bench") { status } }', {}, a.token);
  api.queries.reset();
  const lone = await postKamailio(api, 'route', invite({ fromUser: caller(), sourceIp: '203.0.113.5' }));
  log(`one decision (answer ${lone.body.code ?? lone.body.action}, no agent free): ${api.queries.count} SQL statements`);
  // every agent is paused: the decision measured here IS the 486 (no agent free) answer
  const decisions = await phase('route decisions, no agent free', 'decisions', async () => {
    const [r, ms] = await timed(() => postKamailio(api, 'route', invite({ fromUser: caller(), sourceIp: '203.0.113.5' })));
    if (r.body.code !== 486) throw new Error(JSON.stringify(r.body));
    return { ms };
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
    if (r.body.action !== 'agent') return { ms, rejected: String(r.body.code ?? r.body.action) }; // e.g. 486: every agent busy at this instant
    const id = r.body.interactionId as string;
    await callEvent(api, req.callId, id, 'answered');
    await callEvent(api, req.callId, id, 'ended', { code: 200, by: 'caller' });
    const token = tokenOf.get(/sip:a([0-9a-f]{32})@/.exec(r.body.aor)![1]!)!;
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id }, token);
    return { ms };
  };
  await phase('whole calls, 1 caller (route offered to an agent)', 'calls', wholeCall, 1);
  const calls = await phase('whole calls (route, answered, ended, close)', 'calls', wholeCall);

  log(`route decision vs baseline: ${(baseline.perSecond / decisions.perSecond).toFixed(1)}x fewer per second, p50 ${(decisions.p50 / baseline.p50).toFixed(1)}x`);
  const rejectedCalls = Object.values(calls.rejected).reduce((n, times) => n + times.length, 0);
  log(`whole calls: ${calls.perSecond.toFixed(1)} completed calls/s with ${AGENTS} agents and ${CONCURRENCY} callers (4 API requests each); ${rejectedCalls} callers rejected besides (${Object.keys(calls.rejected).join(', ') || 'none'})`);
} finally {
  await cleanUp();
}
