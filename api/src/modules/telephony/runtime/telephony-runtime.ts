import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../../../platform/context.js';
import { telephonySecret } from '../kamailio-endpoint.js';
import { missingBinaries, missingBinariesLine } from './binaries.js';
import { kamailioRpc } from './kamailio-rpc.js';
import { loadKamailioTemplate, renderKamailioConfig } from './kamailio-config.js';
import { rtpengineArgs } from './rtpengine-args.js';
import { recordingSpoolDir } from '../recordings/storage.js';
import { rtpengineNg } from './rtpengine-ng.js';
import { Supervised } from './supervisor.js';
import { PID_FILES, recordRuntimeOwner, runDirFor, stopLeftovers } from './leftovers.js';
import { Watchdog } from './watchdog.js';
import { sipWsOrigins } from './ws-origins.js';

export interface TelephonyRuntime {
  kamailio: Supervised;
  rtpengine: Supervised;
  /** Path of the rendered Kamailio configuration. */
  configPath: string;
  /** Origins Kamailio lets open the SIP WebSocket (`sipWsOrigins`). */
  origins: string[];
  /** Ends Kamailio and rtpengine should the API die without `stop()`. */
  watchdog: Watchdog;
  stop(): Promise<void>;
}

/** Per app: work to do each time Kamailio has (re)started and answers (`onKamailioReady`). */
const readyHooks = new WeakMap<App, (() => Promise<unknown>)[]>();

/**
 * Runs `fn` each time this app's Kamailio has started and answers JSON-RPC: after the first start
 * (before `startTelephony` returns) and after every restart by the supervisor.
 */
export function onKamailioReady(app: App, fn: () => Promise<unknown>): void {
  readyHooks.set(app, [...(readyHooks.get(app) ?? []), fn]);
}

async function runReadyHooks(app: App): Promise<void> {
  for (const fn of readyHooks.get(app) ?? []) {
    await fn().catch((err: Error) => app.log.warn({ err }, 'work after Kamailio started failed'));
  }
}

/** Per app: the running runtime, or why there is none (readyz reports it). */
const runtimes = new WeakMap<App, TelephonyRuntime | { unavailable: string }>();

export interface TelephonyStartInput {
  /** The API's own listening URL (Kamailio posts there unless TELEPHONY_API_URL says otherwise). */
  apiUrl: string;
  databaseUrl: string;
}

/**
 * Starts rtpengine and Kamailio as supervised children when TELEPHONY is on. Missing binaries are
 * reported in one line and the platform runs without telephony.
 */
export async function startTelephony(app: App, input: TelephonyStartInput): Promise<TelephonyRuntime | null> {
  const t = app.config.telephony;
  if (!t.enabled) return null;
  const missing = await missingBinaries(t);
  if (missing.length) {
    const line = missingBinariesLine(missing);
    app.log.warn(line);
    runtimes.set(app, { unavailable: `not installed (${missing.join(', ')})` });
    return null;
  }
  const dir = join(app.config.dataDir, 'telephony');
  const runDir = runDirFor(app.config.dataDir, t.sipUdpPort);
  // a Kamailio or rtpengine an earlier run left (its API killed with its watchdog) holds our ports
  await stopLeftovers(app.config.dataDir, app.log);
  await mkdir(runDir, { recursive: true });
  await recordRuntimeOwner(runDir);
  await mkdir(recordingSpoolDir(app.config), { recursive: true });
  const configPath = join(dir, `kamailio-${t.sipUdpPort}.cfg`);
  const origins = sipWsOrigins(app.config, input.apiUrl);
  const text = renderKamailioConfig(await loadKamailioTemplate(), {
    telephony: t,
    apiUrl: t.apiUrlForKamailio ?? input.apiUrl,
    secret: await telephonySecret(app),
    databaseUrl: input.databaseUrl,
    origins,
    debug: app.config.logLevel === 'debug' || app.config.logLevel === 'trace' ? 3 : 1,
  });
  await writeFile(configPath, text, { mode: 0o600 });
  await chmod(configPath, 0o600);

  // both die with the API, however it dies (a SIGKILL included): see watchdog.ts
  const watchdog = new Watchdog(app.log);
  watchdog.start();
  const rtpengine = new Supervised({ name: 'rtpengine', bin: t.rtpengineBin, args: rtpengineArgs(t, app.config.dataDir), cwd: runDir, log: app.log, watchdog });
  const kamailio = new Supervised({
    name: 'kamailio',
    bin: t.kamailioBin,
    args: ['-DD', '-E', '-f', configPath, '-m', '256', '-M', '16', '-Y', runDir, '-P', join(runDir, PID_FILES.kamailio)],
    // Kamailio's tables live in the schema "kamailio" of the platform's database.
    env: { PGOPTIONS: '-c search_path=kamailio' },
    cwd: runDir,
    log: app.log,
    watchdog,
    // a restarted Kamailio reloads contacts from the database: check them once it answers
    onStart: (starts) => {
      if (starts > 1) void waitHealthy(app, 30_000).then((healthy) => (healthy ? runReadyHooks(app) : undefined));
    },
  });
  rtpengine.start();
  // Kamailio pings rtpengine at start and sets a silent one aside for a while: start it second.
  const until = Date.now() + 10_000;
  while (Date.now() < until && !(await rtpengineNg(t.rtpengineNgPort, { command: 'ping' }, 300).catch(() => null))) {
    await new Promise((r) => setTimeout(r, 100));
  }
  kamailio.start();
  const runtime: TelephonyRuntime = {
    kamailio,
    rtpengine,
    configPath,
    origins,
    watchdog,
    async stop() {
      runtimes.delete(app);
      await Promise.all([kamailio.stop(), rtpengine.stop()]);
      watchdog.close();
    },
  };
  runtimes.set(app, runtime);
  const healthy = await waitHealthy(app, 20_000);
  if (healthy) {
    app.log.info({ udp: t.sipUdpPort, ws: t.sipWsPort }, 'telephony is running (Kamailio + rtpengine)');
    await runReadyHooks(app);
  } else app.log.error({ health: await telephonyHealth(app) }, 'telephony did not become healthy; the supervisor keeps trying');
  return runtime;
}

async function waitHealthy(app: App, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const health = await telephonyHealth(app);
    if (health && Object.values(health).every((v) => v === 'ok')) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** Kamailio (JSON-RPC) and rtpengine (ng ping) health; null when telephony is off. */
export async function telephonyHealth(app: App): Promise<Record<string, string> | null> {
  const runtime = runtimes.get(app);
  if (!runtime) return null;
  if ('unavailable' in runtime) return { telephony: runtime.unavailable };
  const [kamailio, rtpengine] = await Promise.all([
    kamailioRpc(app, 'core.version').then(
      () => 'ok',
      (err: Error) => `unreachable: ${err.message}`,
    ),
    rtpengineNg(app.config.telephony.rtpengineNgPort, { command: 'ping' }, 1000).then(
      (r) => (r.result === 'pong' ? 'ok' : `unexpected answer: ${JSON.stringify(r)}`),
      (err: Error) => `unreachable: ${err.message}`,
    ),
  ]);
  return { kamailio, rtpengine };
}

/** The running runtime of an app (tests kill its processes), or undefined. */
export function telephonyRuntime(app: App): TelephonyRuntime | undefined {
  const r = runtimes.get(app);
  return r && !('unavailable' in r) ? r : undefined;
}
