/**
 * `npm run bench:sip`: the telephony runtime under load, everything real (Kamailio, rtpengine,
 * PostgreSQL, sipp as trunk and phones), in one run:
 *  1. REGISTER/s with digest auth against `kamailio.subscriber_live`, in rising steps;
 *  2. calls/s (trunk INVITE -> the API's real route decision -> usrloc fork through rtpengine ->
 *     answered, 1 s, BYE) in rising steps: a DID of a VOICE tenant whose BENCH_AGENTS (150) agents
 *     are all AVAILABLE and registered with Kamailio from one sipp phone that answers every call;
 *     the API picks the agent, Kamailio's call events free it again. Then the same steps against a
 *     second Kamailio whose decision (agent 0) is fixed in its configuration (same async hop, no
 *     HTTP): the baseline. INVITE -> 180 time minus the baseline's is what asking the API adds.
 * Needs the telephony packages; PostgreSQL: TEST_DATABASE_URL (or DATABASE_URL)'s server, else an
 * embedded one in a temporary folder. Options: BENCH_REG_STEPS (200,500,1000,1500), BENCH_CALL_STEPS (20,50,100),
 * BENCH_STEP_SECONDS (4), BENCH_AGENTS (150), BENCH_TRACE (a folder for sipp's error logs). Prints figures; asserts nothing.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupsOnExit, freePort, listOption, log, machine, ms, numberOption, providePostgres, summarize } from './bench-kit.js';

process.env.PASSWORD_HASH_COST ??= '12';
const { freeUdpPorts, startTelephonyTestApi, runSipp, startSipp, SIPP_SCENARIOS, telephonySkipReason, waitFor } = await import('../../api/src/testing/telephony.js');
const { createTenant, createUsers, signIn } = await import('../../api/src/testing/fixtures.js');
const { telephonySecret } = await import('../../api/src/modules/telephony/kamailio-endpoint.js');
const { agentPool } = await import('./sip-agents.js');
const { loadKamailioTemplate, renderKamailioConfig } = await import('../../api/src/modules/telephony/runtime/kamailio-config.js');
const { Supervised } = await import('../../api/src/modules/telephony/runtime/supervisor.js');
const { createLogger } = await import('../../api/src/platform/logger.js');

const REG_STEPS = listOption('BENCH_REG_STEPS', [200, 500, 1000, 1500], 1);
const CALL_STEPS = listOption('BENCH_CALL_STEPS', [20, 50, 100], 1);
const SECONDS = numberOption('BENCH_STEP_SECONDS', 4, { min: 1, whole: true });
const AGENTS = numberOption('BENCH_AGENTS', 150, { min: 1, whole: true });
const DID = '+34911000111';

const skip = await telephonySkipReason();
if (skip) {
  log(`cannot run: ${skip}`);
  process.exit(1);
}

interface Figures {
  ok: number;
  failed: number;
  /** Completions per second, from the first to the last timed completion. */
  achieved: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** sipp's counters from its final screen, and its per-call response times (-trace_rtt CSV in `dir`). */
async function figures(output: string, dir: string): Promise<Figures> {
  const cumulative = (label: string) => Number(output.split('\n').reverse().find((l) => l.trim().startsWith(label))?.split('|').at(-1)?.trim() ?? 0);
  const file = (await readdir(dir)).find((f) => f.endsWith('_rtt.csv'));
  const rows = file
    ? (await readFile(join(dir, file), 'utf8')).split('\n').slice(1).filter(Boolean).map((l) => l.split(';').map(Number) as [number, number, number])
    : [];
  await rm(dir, { recursive: true, force: true });
  const times = rows.map((r) => r[1]);
  const { p50, p99 } = summarize(times);
  const span = rows.length > 1 ? (rows.at(-1)![0] - rows[0]![0]) / 1000 : 0;
  return {
    ok: cumulative('Successful call'),
    failed: cumulative('Failed call'),
    achieved: span > 0 ? (rows.length - 1) / span : 0,
    meanMs: times.length ? times.reduce((a, b) => a + b, 0) / times.length : NaN,
    p50Ms: p50,
    p99Ms: p99,
  };
}

/** Runs one sipp step with per-call timing on. */
async function step(args: string[], timeoutMs: number): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-sipp-'));
  const r = await runSipp([...args, '-trace_rtt', '-rtt_freq', '1'], timeoutMs, dir);
  return figures(r.output, dir);
}

/** Whether something answers a SIP OPTIONS on UDP `port` within half a second. */
function sipAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), 500);
    socket.once('message', () => done(true));
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port;
      const tag = Math.random().toString(36).slice(2);
      socket.send(
        [`OPTIONS sip:127.0.0.1:${port} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${tag}`, `From: <sip:bench@127.0.0.1:${local}>;tag=${tag}`,
          `To: <sip:127.0.0.1:${port}>`, `Call-ID: ${tag}@127.0.0.1`, 'CSeq: 1 OPTIONS', 'Max-Forwards: 70', 'User-Agent: switchboard-bench', 'Content-Length: 0', '', ''].join('\r\n'),
        port, '127.0.0.1',
      );
    });
  });
}

const row = (label: string, rate: number, f: Figures) =>
  `${label.padEnd(22)} offered ${String(rate).padStart(5)}/s  ok ${String(f.ok).padStart(6)}  failed ${String(f.failed).padStart(5)}  ` +
  `achieved ${f.achieved.toFixed(0).padStart(5)}/s  mean ${ms(f.meanMs, 1)} ms  p50 ${ms(f.p50Ms, 1)} ms  p99 ${ms(f.p99Ms, 1)} ms`;

const { cleanups, cleanUp } = cleanupsOnExit();
const postgres = await providePostgres(cleanups);
process.env.TEST_DATABASE_URL = postgres.url; // where the test harness makes the run's database
const api = await startTelephonyTestApi({ rtpPortMin: 40000, rtpPortMax: 49999 });
cleanups.push(() => api.stop());
try {
  log(`machine: ${machine()}; PostgreSQL: ${postgres.where}; Kamailio UDP ${api.telephony.sipUdpPort}, rtpengine ng ${api.telephony.rtpengineNgPort}`);
  const t = await createTenant(api, { seats: 5 });
  const agents = await createUsers(api, t.adminToken, 'AGENT', 2);
  // sipp 3.6 takes one digest account per run (-au/-ap): every REGISTER still looks it up in PostgreSQL.
  const regToken = await signIn(api, agents[1]!.email, agents[1]!.password, t.slug);
  const reg = (await api.ok('mutation { issueSipCredentials { username domain password } }', {}, regToken)).issueSipCredentials;

  log(`REGISTER with digest auth (${SECONDS} s per step)`);
  for (const rate of REG_STEPS) {
    const f = await step([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'register.xml'),
      '-au', reg.username, '-ap', reg.password, '-key', 'user', reg.username, '-key', 'domain', reg.domain,
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-r', String(rate), '-m', String(rate * SECONDS), '-l', '2000'], (SECONDS + 30) * 1000);
    log(row('REGISTER', rate, f));
  }

  // Calls: one phone (sipp UAS, many calls at once) registered as every agent of the pool, on each Kamailio in turn.
  let phone: Awaited<ReturnType<typeof startSipp>> | null = null;
  const phonePort = await freeUdpPorts();
  const pool = await agentPool(api, AGENTS, DID);
  const phoneOn = async (sipPort: number) => {
    phone?.kill();
    await phone?.done;
    await pool.register(sipPort, phonePort);
    phone = await startSipp(['-sf', join(SIPP_SCENARIOS, 'agent-answer.xml'), '-i', '127.0.0.1', '-p', String(phonePort), '-mp', String(await freeUdpPorts(4))]);
  };
  cleanups.push(async () => phone?.kill());
  const measured = new Map<string, Figures>(); // `${label} ${rate}`
  const callSteps = async (label: string, sipPort: number) => {
    for (const rate of CALL_STEPS) {
      const f = await step([`127.0.0.1:${sipPort}`, '-sf', join(SIPP_SCENARIOS, 'bench-call.xml'), '-s', DID, '-i', '127.0.0.1',
        '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4)), '-r', String(rate), '-m', String(rate * SECONDS), '-l', '2000',
        ...(process.env.BENCH_TRACE ? ['-trace_err', '-error_file', join(process.env.BENCH_TRACE, `${label.replace(/\W+/g, '-')}-${rate}.log`)] : [])], (SECONDS + 40) * 1000);
      log(row(label, rate, f));
      measured.set(`${label} ${rate}`, f);
      await new Promise((res) => setTimeout(res, 6000)); // rtpengine's delete delay frees the ports
    }
  };

  log(`calls (${SECONDS} s per step, 1 s each; INVITE -> 180 time); ${AGENTS} agents`);
  await phoneOn(api.telephony.sipUdpPort);
  await callSteps('call, API decision', api.telephony.sipUdpPort);

  // Baseline: a second Kamailio, same configuration, decision fixed in it.
  const staticTelephony = { ...api.telephony, sipUdpPort: await freeUdpPorts(), sipWsPort: await freePort(), rpcPort: await freePort() };
  const aor = pool.accounts[0]!.uri;
  const config = renderKamailioConfig(await loadKamailioTemplate(), {
    telephony: staticTelephony,
    apiUrl: api.url,
    secret: await telephonySecret(api.running.app),
    databaseUrl: api.databaseUrl,
    origins: [api.url],
    staticDecision: JSON.stringify({ action: 'agent', aor, interactionId: 'bench', record: false, ringSeconds: 10 }),
  });
  const configPath = join(api.dataDir, 'kamailio-static.cfg');
  await writeFile(configPath, config, { mode: 0o600 });
  const runDir = join(api.dataDir, 'run-static');
  await mkdir(runDir, { recursive: true });
  const staticKamailio = new Supervised({
    name: 'kamailio-static', bin: api.telephony.kamailioBin, log: createLogger('silent'),
    args: ['-DD', '-E', '-f', configPath, '-m', '256', '-M', '16', '-Y', runDir, '-P', join(runDir, 'kamailio.pid')],
    env: { PGOPTIONS: '-c search_path=kamailio' },
  });
  staticKamailio.start();
  cleanups.push(() => staticKamailio.stop());
  await waitFor('the static Kamailio answers SIP', () => sipAnswers(staticTelephony.sipUdpPort), 30_000).catch((err: Error) => {
    throw new Error(`${err.message}; it printed:\n${staticKamailio.output().slice(-3000)}`);
  });
  await phoneOn(staticTelephony.sipUdpPort); // the same contact, now on the static Kamailio
  await callSteps('call, static decision', staticTelephony.sipUdpPort);
  for (const rate of CALL_STEPS) {
    const [a, b] = [measured.get(`call, API decision ${rate}`)!, measured.get(`call, static decision ${rate}`)!];
    log(`at ${rate}/s offered, asking the API adds p50 ${ms(a.p50Ms - b.p50Ms, 1)} ms, p99 ${ms(a.p99Ms - b.p99Ms, 1)} ms to INVITE -> 180 ` +
      `(achieved ${a.achieved.toFixed(0)}/s vs ${b.achieved.toFixed(0)}/s; failed ${a.failed} vs ${b.failed})`);
  }
} finally {
  await cleanUp();
}
