/**
 * What is left of an earlier embedded PostgreSQL in our data folder, and how to clear it.
 *
 * After a `kill -9` of the API (or the OOM killer) its PostgreSQL keeps running with
 * `postmaster.pid` in our folder, and a new PostgreSQL refuses to start. `recoverDataFolder`
 * finds that postmaster, checks it really is a PostgreSQL on this very folder whose owner is gone,
 * and stops it the way PostgreSQL wants to be stopped (SIGINT: fast shutdown, every transaction
 * that was committed is kept). A pid file whose process is dead, or whose pid now belongs to
 * another program, is stale and removed. A postmaster still owned by a live process (another
 * Switchboard on the same DATA_DIR) is left alone and reported.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StartError } from '../start-error.js';

export interface Postmaster {
  pid: number;
  /** The data folder the pid file names (line 2). */
  dataDir: string;
  /** The TCP port it listens on (line 4). */
  port: number;
}

const OWNER_FILE = 'postgres.owner';

/** Reads `<databaseDir>/postmaster.pid`, or undefined when there is none. */
export async function readPostmasterPid(databaseDir: string): Promise<Postmaster | undefined> {
  const text = await readFile(join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const lines = text.split('\n');
  return { pid: Number(lines[0]), dataDir: lines[1] ?? '', port: Number(lines[3]) };
}

/** Records which process started the PostgreSQL in `dataDir` (so a later start can tell an orphan from a live owner). */
export async function recordOwner(dataDir: string, pid = process.pid): Promise<void> {
  await writeFile(join(dataDir, OWNER_FILE), `${pid}\n`);
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface ProcessInfo {
  ppid: number;
  command: string;
}

/** A process's parent and command line (from /proc, or `ps` where there is no /proc). */
export async function processInfo(pid: number): Promise<ProcessInfo | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
    return { ppid, command };
  } catch {
    try {
      const out = execFileSync('ps', ['-o', 'ppid=,command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      const m = /^(\d+)\s+(.*)$/.exec(out);
      return m ? { ppid: Number(m[1]), command: m[2] } : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Waits until `pid` is gone, up to `timeoutMs`; true if it went. */
async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * Stops a postmaster: SIGINT (fast shutdown: open transactions are rolled back, committed ones are
 * on disk), then SIGQUIT (immediate shutdown; crash recovery on the next start) if it hangs.
 */
export async function stopPostmaster(pid: number, fastTimeoutMs = 30_000): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGINT');
  if (await waitGone(pid, fastTimeoutMs)) return;
  signal('SIGQUIT');
  if (await waitGone(pid, 10_000)) return;
  throw new StartError(
    `the PostgreSQL left running by an earlier start (pid ${pid}) does not stop`,
    `stop it by hand (kill ${pid}; kill -9 ${pid} if it refuses), then start Switchboard again`,
  );
}

export type Recovery = 'nothing' | 'stale-pid-file' | 'stopped-orphan';

/**
 * Clears what an earlier PostgreSQL left in `databaseDir` so a new one can start: stops an orphaned
 * postmaster of ours, removes a stale pid file. Refuses (StartError) when the postmaster's owner
 * is alive, since that is another Switchboard running on this same data folder.
 */
export async function recoverDataFolder(dataDir: string, databaseDir: string): Promise<Recovery> {
  const postmaster = await readPostmasterPid(databaseDir);
  if (!postmaster) return 'nothing';
  const info = isAlive(postmaster.pid) ? await processInfo(postmaster.pid) : undefined;
  const ours = info !== undefined && /postgres/.test(info.command) && info.command.includes(resolve(databaseDir));
  if (!ours) {
    // dead, or the pid was reused by another program: the file is stale
    await rm(join(databaseDir, 'postmaster.pid'), { force: true });
    return 'stale-pid-file';
  }
  const owner = Number((await readFile(join(dataDir, OWNER_FILE), 'utf8').catch(() => '')).trim());
  if (owner && owner !== process.pid && info.ppid === owner && isAlive(owner)) {
    throw new StartError(
      `another process (pid ${owner}) is running Switchboard's PostgreSQL on this data folder (${dataDir})`,
      'stop that Switchboard first, or give this one its own DATA_DIR',
    );
  }
  await stopPostmaster(postmaster.pid);
  return 'stopped-orphan';
}
