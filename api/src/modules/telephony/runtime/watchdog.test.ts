/**
 * Kamailio and rtpengine die with the API, however it dies: `npm start`'s entry point as a child
 * process with telephony on, killed with SIGKILL (no shutdown code runs). And a Kamailio/rtpengine
 * an earlier run left behind anyway (its watchdog killed too) is stopped by the next start on the
 * same data folder.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnApi, type ApiProcess } from '../../../testing/process.js';
import { telephonySkipReason, testTelephonyConfig, waitFor } from '../../../testing/telephony.js';
import { createDatabase, dropDatabase } from '../../../platform/db/scratch.js';
import { isAlive, processInfo } from '../../../platform/db/postmaster.js';
import type { TelephonyConfig } from '../../../platform/config.js';
import { PID_FILES, runDirFor } from './leftovers.js';

const skip = await telephonySkipReason();

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
});

/** A data folder and a database of its own, removed after the file. */
async function workspace(): Promise<{ dataDir: string; databaseUrl: string }> {
  const name = `sb_test_orphans_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const databaseUrl = await createDatabase(process.env.TEST_DATABASE_URL!, name, process.env.SB_TEST_TEMPLATE);
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-orphans-'));
  cleanups.push(() => dropDatabase(process.env.TEST_DATABASE_URL!, name), () => rm(dataDir, { recursive: true, force: true }));
  return { dataDir, databaseUrl };
}

const envFor = (t: TelephonyConfig, dataDir: string, databaseUrl: string) => ({
  DATABASE_URL: databaseUrl, REDIS_URL: '', DATA_DIR: dataDir, SEED_DEMO: 'false', TELEPHONY: '1',
  SIP_LISTEN_HOST: t.listenHost, SIP_UDP_PORT: String(t.sipUdpPort), SIP_WS_PORT: String(t.sipWsPort),
  KAMAILIO_RPC_PORT: String(t.rpcPort), RTPENGINE_NG_PORT: String(t.rtpengineNgPort),
  RTP_PORT_MIN: String(t.rtpPortMin), RTP_PORT_MAX: String(t.rtpPortMax),
  SIP_FLOOD_LIMIT: '0', SIP_BAN_FAILURES: '0', SIP_WS_ORIGINS: 'http://agents.test.local',
});

/** The API answering /readyz with Kamailio and rtpengine healthy. */
async function started(env: Record<string, string>): Promise<ApiProcess> {
  const api = await spawnApi(env, 120_000);
  cleanups.push(() => api.stop('SIGKILL'));
  await waitFor('Kamailio and rtpengine healthy', async () => {
    const body = (await (await fetch(`${api.url}/readyz`)).json()) as { checks: Record<string, string> };
    return body.checks.kamailio === 'ok' && body.checks.rtpengine === 'ok';
  }, 30_000).catch((err: Error) => {
    throw new Error(`${err.message}\n${api.output()}`);
  });
  return api;
}

/** Every live process of `pgid`'s process group, read from /proc. */
async function group(pgid: number): Promise<number[]> {
  const members: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) members.push(Number(name));
  }
  return members;
}

/** The Kamailio and rtpengine of an API (leaders and workers), checked to be its children. */
async function telephonyProcesses(api: ApiProcess, dataDir: string, t: TelephonyConfig): Promise<number[]> {
  const pids: number[] = [];
  for (const file of Object.values(PID_FILES)) {
    const pid = await waitFor(`${file} written`, async () => Number((await readFile(join(runDirFor(dataDir, t.sipUdpPort), file), 'utf8').catch(() => '')).trim()));
    assert.equal((await processInfo(pid))?.ppid, api.child.pid, `${file}: a child of the API`);
    pids.push(...(await group(pid)));
  }
  assert.ok(pids.length > 2, `Kamailio forks workers: ${pids.join(', ')}`);
  return pids;
}

/** Exited: no such process, or a zombie its (stopped) parent has not reaped yet. */
const running = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
};
const gone = (pids: number[]) =>
  waitFor(`processes ${pids.join(', ')} gone`, async () => !(await Promise.all(pids.map(running))).includes(true), 20_000);

describe('Kamailio and rtpengine never outlive the API', { skip: skip ?? false }, () => {
  it('ends them when the API is killed with SIGKILL', async () => {
    const { dataDir, databaseUrl } = await workspace();
    const t = await testTelephonyConfig();
    const api = await started(envFor(t, dataDir, databaseUrl));
    const pids = await telephonyProcesses(api, dataDir, t);
    cleanups.push(async () => pids.forEach((pid) => isAlive(pid) && process.kill(pid, 'SIGKILL')));

    await api.stop('SIGKILL');
    await gone(pids);
  });

  it('stops a Kamailio and rtpengine an earlier run left on the same data folder before starting its own', async () => {
    const { dataDir, databaseUrl } = await workspace();
    const t = await testTelephonyConfig();
    const env = envFor(t, dataDir, databaseUrl);
    const first = await started(env);
    const pids = await telephonyProcesses(first, dataDir, t);
    cleanups.push(async () => pids.forEach((pid) => isAlive(pid) && process.kill(pid, 'SIGKILL')));
    // the API frozen (it would start a new watchdog), its watchdog killed, then the API: orphans, as before the watchdog
    const apiPid = first.child.pid!;
    process.kill(apiPid, 'SIGSTOP');
    const watchdogs: number[] = [];
    for (const name of await readdir('/proc')) {
      const info = /^\d+$/.test(name) ? await processInfo(Number(name)) : undefined;
      if (info?.ppid === apiPid && info.command.endsWith(' switchboard-watchdog')) watchdogs.push(Number(name));
    }
    assert.equal(watchdogs.length, 1, 'one watchdog per runtime');
    process.kill(watchdogs[0]!, 'SIGKILL');
    await gone(watchdogs);
    await first.stop('SIGKILL');
    assert.ok(pids.every(isAlive), 'without their watchdog, Kamailio and rtpengine outlive the API');

    const second = await started(env);
    await gone(pids);
    const now = await telephonyProcesses(second, dataDir, t);
    assert.ok(!now.some((pid) => pids.includes(pid)), 'the new runtime runs its own processes');
    await second.stop('SIGTERM');
    await gone(now);
  });
});
