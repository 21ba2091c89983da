import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded.js';
import { freePort } from '../net.js';

/** Replaces the database name in a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** CREATE DATABASE (optionally from a template) on the server of `serverUrl`. */
export async function createDatabase(serverUrl: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with the URL of a new, empty database that is dropped afterwards. */
export async function withScratchDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    let server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
    if (!server) {
      const dir = await mkdtemp(join(tmpdir(), 'switchboard-scratch-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const quiet = { info() {}, debug() {}, warn() {} };
      const db = await startEmbeddedPostgres(dir, await freePort(), quiet);
      cleanups.push(() => db.stop());
      server = db.url;
    }
    const name = `sb_scratch_${randomBytes(6).toString('hex')}`;
    const url = await createDatabase(server, name);
    cleanups.push(() => dropDatabase(server, name));
    return await fn(url);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}
