/**
 * What an earlier run left of Kamailio and rtpengine in our data folder, and how to clear it.
 *
 * Each runtime works in `<DATA_DIR>/telephony/run-<SIP port>/`: the pid files of its Kamailio and
 * rtpengine and `owner`, the pid of the API that started them. The watchdog (watchdog.ts) ends
 * them when the API dies; should it have died too (or an older version have run), they keep
 * running, holding the SIP ports and PostgreSQL connections. Before a start, every such process is
 * stopped (its whole process group: Kamailio's workers) once its command line shows it is a
 * Kamailio or rtpengine on this very folder; one whose owner is a live API is left alone.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '../../../platform/logger.js';
import { isAlive, processInfo } from '../../../platform/db/postmaster.js';

export const PID_FILES = { kamailio: 'kamailio.pid', rtpengine: 'rtpengine.pid' } as const;
const OWNER_FILE = 'owner';

/** The folder one runtime writes in (configuration aside). */
export const runDirFor = (dataDir: string, sipUdpPort: number): string => join(dataDir, 'telephony', `run-${sipUdpPort}`);

export async function recordRuntimeOwner(runDir: string): Promise<void> {
  await writeFile(join(runDir, OWNER_FILE), `${process.pid}\n`);
}

const readPid = async (file: string): Promise<number> => Number((await readFile(file, 'utf8').catch(() => '')).trim());

/** Members of process group `pgid` (from /proc; where there is none, the leader alone). */
async function groupMembers(pgid: number): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => null);
  if (!entries) return isAlive(pgid) ? [pgid] : [];
  const members: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // after "pid (comm) ": state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) members.push(Number(name));
  }
  return members;
}

async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // gone already
    }
  }
}

/**
 * Stops the Kamailios and rtpengines earlier runs left in `<dataDir>/telephony/run-*`: SIGTERM to
 * the process group, SIGKILL after `graceMs`. Returns what it stopped, e.g. `['kamailio 4711']`.
 */
export async function stopLeftovers(dataDir: string, log: Logger, graceMs = 5000): Promise<string[]> {
  const dir = resolve(dataDir, 'telephony');
  const runs = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith('run-'));
  const stopped: string[] = [];
  for (const run of runs) {
    const owner = await readPid(join(dir, run, OWNER_FILE));
    for (const [name, file] of Object.entries(PID_FILES)) {
      const pid = await readPid(join(dir, run, file));
      if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) continue;
      // the leader may be dead with its workers still running: look at every member of its group
      const members: number[] = [];
      for (const member of await groupMembers(pid)) {
        const info = await processInfo(member);
        if (!info || !info.command.includes(name) || !info.command.includes(`${dir}/`)) continue;
        if (member === pid && owner && owner !== process.pid && info.ppid === owner && isAlive(owner)) {
          log.warn({ pid, owner, run }, `${name} in ${join(dir, run)} belongs to a running Switchboard (pid ${owner}); left alone`);
          members.length = 0;
          break;
        }
        members.push(member);
      }
      if (!members.length) continue;
      signal(members, 'SIGTERM');
      if (!(await waitGone(members, graceMs))) {
        signal(members, 'SIGKILL');
        await waitGone(members, 5000);
      }
      log.warn({ pid, processes: members.length, run }, `stopped the ${name} an earlier run left behind (crash or kill)`);
      stopped.push(`${name} ${pid}`);
    }
  }
  return stopped;
}
