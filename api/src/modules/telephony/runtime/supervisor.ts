import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../../platform/logger.js';
import type { Watchdog } from './watchdog.js';

export interface SupervisedSpec {
  name: string;
  bin: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Working directory (anything the process writes there, a core dump included, stays out of the checkout). */
  cwd?: string;
  log: Logger;
  /** Called after each start, with the number of starts so far (1 for the first). */
  onStart?: (starts: number) => void;
  /** Ends the process group should the API die without stopping it (a SIGKILL, say). */
  watchdog?: Watchdog;
}

/**
 * One child process kept running: started in its own process group (Kamailio forks workers), a
 * death is logged and followed by a restart after a growing pause (0.5 s up to 10 s, reset after a
 * minute of good health); `stop()` ends the whole group, SIGTERM then SIGKILL after 5 s.
 */
/** Output lines a supervisor keeps for `output()`. */
const RECENT_LINES = 300;

export class Supervised {
  private child: ChildProcess | null = null;
  private stopping = false;
  private backoffMs = 500;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  /** How many times the process was started (1 after the first start). */
  starts = 0;
  private exitListeners: (() => void)[] = [];
  /** The process's last output lines, for diagnostics. */
  private readonly recent: string[] = [];

  constructor(private readonly spec: SupervisedSpec) {}

  /** The last lines the process wrote (at most RECENT_LINES), oldest first. */
  output(): string {
    return this.recent.join('\n');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { name, bin, args, env, cwd, log } = this.spec;
    this.starts++;
    this.stopping = false;
    this.startedAt = Date.now();
    const child = spawn(bin, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    if (child.pid) this.spec.watchdog?.watch(child.pid);
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        this.recent.push(line);
        if (this.recent.length > RECENT_LINES) this.recent.shift();
        // Kamailio's and rtpengine's own warnings and errors belong in the platform's log; while we
        // stop it, Kamailio's ALERT for each child that "exited normally" is the stop going to plan
        if (this.stopping && /exited normally/.test(line)) log.debug({ process: name }, line);
        else if (/\b(WARNING|ERROR|CRITICAL|ALERT)\b|\[(warn|error|crit)\]/i.test(line)) log.warn({ process: name }, line);
        else log.debug({ process: name }, line);
      }
    };
    child.stdout!.on('data', relay);
    child.stderr!.on('data', relay);
    this.spec.onStart?.(this.starts);
    child.on('error', (err) => log.error({ err, process: name }, `${name} could not be started`));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      killGroup(child, 'SIGKILL'); // workers of a dead main process must not keep its ports
      if (child.pid) this.spec.watchdog?.forget(child.pid);
      for (const fn of this.exitListeners.splice(0)) fn();
      if (this.stopping) return;
      if (Date.now() - this.startedAt > 60_000) this.backoffMs = 500;
      log.warn({ process: name, code, signal, restartInMs: this.backoffMs }, `${name} exited; restarting`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (!this.stopping) this.start();
      }, this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 10_000);
    });
  }

  /** Resolves when the current process has exited (at once if none runs). */
  private exited(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.exitListeners.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    const done = this.exited();
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await done;
    clearTimeout(timer);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}
