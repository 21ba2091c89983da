import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../../platform/logger.js';

/**
 * The watchdog's program (POSIX sh). Its stdin is a pipe from the API: `+PID` adds a process group
 * to watch, `-PID` forgets it. When the pipe closes (the API exited, however: a SIGKILL or the OOM
 * killer included, the kernel closes its end) it ends every group still watched: SIGTERM, up to
 * GRACE seconds for them to go, then SIGKILL. Node has no PR_SET_PDEATHSIG without native code;
 * this is the portable way for children to die with their parent.
 */
const SCRIPT = `
trap '' INT HUP
pids=' '
while IFS= read -r line; do
  p=\${line#?}
  case "$p" in ''|*[!0-9]*) continue ;; esac
  case "$line" in
    +*) case "$pids" in *" $p "*) ;; *) pids="$pids$p " ;; esac ;;
    -*) case "$pids" in *" $p "*) pids="\${pids%% $p *} \${pids#* $p }" ;; esac ;;
  esac
done
[ "$pids" = ' ' ] && exit 0
for p in $pids; do kill -TERM "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null; done
n=0
while [ $n -lt $((GRACE * 10)) ]; do
  alive=0
  for p in $pids; do kill -0 "-$p" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && exit 0
  sleep 0.1
  n=$((n + 1))
done
for p in $pids; do kill -KILL "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null; done
exit 0
`;

/**
 * One watchdog process per telephony runtime: the children it is told about (each the leader of
 * its own process group) die when the API does. Started in its own session so that a signal to the
 * API's process group (a test runner's, a terminal's) does not take it down with the API. A
 * watchdog that dies while the API runs is started again and told the pids again.
 */
export class Watchdog {
  private child: ChildProcess | null = null;
  private readonly pids = new Set<number>();
  private closed = false;

  constructor(
    private readonly log: Logger,
    /** Seconds between SIGTERM and SIGKILL once the API is gone. */
    private readonly graceSeconds = 5,
  ) {}

  /** The watchdog's own pid (tests find it to kill it). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.closed) return;
    const child = spawn('/bin/sh', ['-c', SCRIPT, 'switchboard-watchdog'], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GRACE: String(this.graceSeconds) },
    });
    this.child = child;
    // neither the process nor its pipe keeps the API's event loop alive
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    child.stdin!.on('error', () => {}); // a dead watchdog: 'exit' below starts a new one
    child.on('error', (err) => this.log.error({ err }, 'the telephony watchdog could not be started'));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.closed) return;
      this.log.warn({ code, signal }, 'the telephony watchdog exited; starting it again');
      this.start();
    });
    for (const pid of this.pids) this.send(`+${pid}`);
  }

  /** Kill `pid`'s process group should the API die. */
  watch(pid: number): void {
    this.pids.add(pid);
    this.send(`+${pid}`);
  }

  /** `pid` exited: its number may be reused by anyone, never kill it. */
  forget(pid: number): void {
    if (this.pids.delete(pid)) this.send(`-${pid}`);
  }

  /** Ends the watchdog (ending whatever it still watches: call after stopping the children). */
  close(): void {
    this.closed = true;
    this.child?.stdin?.end();
    this.child = null;
  }

  private send(line: string): void {
    const stdin = this.child?.stdin;
    if (stdin && !stdin.destroyed) stdin.write(`${line}\n`);
  }
}
