/**
 * For outage tests: find a test's own embedded PostgreSQL (by its data folder) and freeze, thaw or
 * kill it, as a stuck host, a paused VM or the OOM killer would. Never aimed at a shared server.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPostmasterPid, isAlive } from '../platform/db/postmaster.js';

/** The pid of the postmaster running on `<dataDir>/postgres`, if one is running. */
export async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const pm = await readPostmasterPid(join(dataDir, 'postgres'));
  return pm && isAlive(pm.pid) ? pm.pid : undefined;
}

/** The postmaster and every process it forked (backends, writers: each is its own process group). */
async function serverProcesses(postmaster: number): Promise<number[]> {
  const pids = [postmaster];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === postmaster) pids.push(Number(entry));
  }
  return pids;
}

/** SIGSTOP (or SIGCONT) the whole server: nothing it holds answers, though its sockets stay open. */
export async function signalServer(postmaster: number, signal: 'SIGSTOP' | 'SIGCONT'): Promise<void> {
  for (const pid of await serverProcesses(postmaster)) {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone meanwhile */
    }
  }
}
