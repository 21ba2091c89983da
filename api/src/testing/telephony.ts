/** Test helpers for the telephony runtime: an API with Kamailio + rtpengine on free ports, and sipp. */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ROOT_DIR, type TelephonyConfig } from '../platform/config.js';
import { freePort } from '../platform/net.js';
import { missingBinaries } from '../modules/telephony/runtime/binaries.js';
import { startTestApi, type TestApi } from './harness.js';
import { startKamailioRelay, type RelayedRequest } from './kamailio-relay.js';
import { checkKamailioRequest } from '../modules/telephony/kamailio.contract.js';
import { telephonySecret } from '../modules/telephony/kamailio-endpoint.js';
import { skipLocally } from './skip.js';

/**
 * Why telephony tests cannot run here, or null when they can. In CI (CI=true) missing binaries are
 * an error, not a skip.
 */
export async function telephonySkipReason(): Promise<string | null> {
  const t = loadConfig().telephony;
  const missing = await missingBinaries(t);
  if (!onPath("sipp")) missing.push('sipp');
  return skipLocally(missing.length ? `telephony binaries missing: ${missing.join(', ')}` : null, 'CI must install them: see .ci/run') || null;
}

function onPath(bin: string): boolean {
  const paths = (process.env.PATH ?? '').split(':');
  return paths.some((p) => {
    try {
      return existsSync(join(p, bin));
    } catch {
      return false;
    }
  });
}


/** Telephony settings on free ports (and a random 200-port RTP range) for one test file. */
export async function testTelephonyConfig(overrides: Partial<TelephonyConfig> = {}): Promise<TelephonyConfig> {
  const base = 20000 + Math.floor(Math.random() * 200) * 200;
  return {
    ...loadConfig().telephony,
    enabled: true,
    listenHost: '127.0.0.1',
    // UDP ports checked as UDP: other tests' rtpengines take UDP ports that a TCP check calls free
    sipUdpPort: await freeUdpPorts(),
    sipWsPort: await freePort(),
    rpcPort: await freePort(),
    rtpengineNgPort: await freeUdpPorts(),
    rtpPortMin: base,
    rtpPortMax: base + 199,
    secret: undefined,
    floodLimit: 0,
    // every test's sipp sends from 127.0.0.1: the tests of bans turn them on (test/telephony/sip-bans.test.ts)
    banFailures: 0,
    wsOrigins: ['http://agents.test.local'],
    ...overrides,
  };
}

export interface TelephonyTestApi extends TestApi {
  telephony: TelephonyConfig;
  dataDir: string;
  /** Every request the real Kamailio sent the API so far (through the recording relay). */
  kamailioRequests: RelayedRequest[];
  /** The contract breaches among them, one line each (see kamailio.contract.ts). */
  contractBreaches(): Promise<string[]>;
}

/**
 * An API with Kamailio + rtpengine. Kamailio posts to the API through a recording relay
 * (kamailio-relay.ts) unless `apiUrlForKamailio` says otherwise: every request it sends in any
 * test is held to kamailio.contract.ts, and `stop()` fails the test file on a breach.
 */
export async function startTelephonyTestApi(overrides: Partial<TelephonyConfig> = {}, config: Record<string, unknown> = {}): Promise<TelephonyTestApi> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-tel-'));
  const relay = overrides.apiUrlForKamailio ? null : await startKamailioRelay();
  const telephony = await testTelephonyConfig({ ...(relay && { apiUrlForKamailio: relay.url }), ...overrides });
  const api = await startTestApi({ config: { ...config, dataDir, telephony } }).catch(async (err: Error) => {
    await relay?.close();
    throw err;
  });
  relay?.forwardTo(api.url);
  const stop = api.stop;
  const contractBreaches = async () => {
    const secret = await telephonySecret(api.running.app);
    return (relay?.requests ?? []).flatMap((r) => checkKamailioRequest(r, secret).map((p) => `${r.path}: ${p} in ${r.body}`));
  };
  return {
    ...api,
    telephony,
    dataDir,
    kamailioRequests: relay?.requests ?? [],
    contractBreaches,
    async stop() {
      const breaches = await contractBreaches().catch(() => []);
      await stop();
      await relay?.close();
      await rm(dataDir, { recursive: true, force: true });
      if (breaches.length) throw new Error(`Kamailio broke the contract of kamailio.contract.ts:\n${breaches.join('\n')}`);
    },
  };
}

function bindUdp(port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(null));
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

/**
 * The first of `count` consecutive UDP ports (an even first one) that were all free on 127.0.0.1 a
 * moment ago: sipp's SIP port, or its media port with RTCP and echo ports after it. `freePort`
 * checks TCP, and on a shared machine other tests' rtpengines hold UDP ports in the same range.
 */
/**
 * Ports this process handed out in the last minute: they are free when checked, but the peer that
 * will bind them (a sipp started a moment later) has not yet, so the next check would find them
 * free again; six probes started at once once got the same port (sipp: "Unable to bind main socket").
 */
const handedOut = new Map<number, number>();
function recentlyHandedOut(start: number, count: number): boolean {
  const now = Date.now();
  for (const [port, at] of handedOut) if (now - at > 60_000) handedOut.delete(port);
  for (let p = start; p < start + count; p++) if (handedOut.has(p)) return true;
  return false;
}

export async function freeUdpPorts(count = 1): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await bindUdp(0);
    if (!first) continue;
    const base = first.address().port;
    const held: Socket[] = [first];
    const start = count > 1 && base % 2 ? base + 1 : base;
    if (start !== base) held.pop()!.close();
    for (let p = start + held.length; held.length < count && p < 65535; p++) {
      const s = await bindUdp(p);
      if (!s) break;
      held.push(s);
    }
    const ok = held.length === count && !recentlyHandedOut(start, count);
    await Promise.all(held.map((s) => new Promise<void>((r) => s.close(() => r()))));
    if (ok) {
      for (let p = start; p < start + count; p++) handedOut.set(p, Date.now());
      return start;
    }
  }
  throw new Error(`no ${count} consecutive free UDP ports`);
}

export const SIPP_SCENARIOS = join(ROOT_DIR, 'telephony', 'sipp');

export interface SippResult {
  code: number | null;
  output: string;
}

/** sipp binds media ports even for REGISTER (6000 by default): give each sipp its own unless told. */
async function mediaPorts(args: string[]): Promise<string[]> {
  return args.includes('-mp') ? [] : ['-mp', String(await freeUdpPorts(4))];
}

/** Runs sipp to completion (or until `timeoutMs`, then kills it). */
export async function runSipp(args: string[], timeoutMs = 20_000, cwd?: string): Promise<SippResult> {
  const media = await mediaPorts(args);
  return new Promise((resolve) => {
    const child = spawn('sipp', ['-nostdin', '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-timeout_error', ...media, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd,
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
    // 'close', not 'exit': sipp's last screen (the SIP code it got, say) may still be in the pipe at exit
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * A running sipp (UAS agents): resolves once it had a moment to bind its ports; `done` resolves
 * when it exits, `output()` is what it printed so far, `kill` ends it (SIGKILL: a peer that vanishes).
 */
export async function startSipp(args: string[]): Promise<{ done: Promise<SippResult>; output(): string; kill(signal?: NodeJS.Signals): void }> {
  const child = spawn('sipp', ['-nostdin', ...(await mediaPorts(args)), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const done = new Promise<SippResult>((resolve) => child.on('close', (code) => resolve({ code, output })));
  await new Promise((r) => setTimeout(r, 500));
  return { done, output: () => output, kill: (signal = 'SIGTERM') => void (child.exitCode === null && child.kill(signal)) };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
