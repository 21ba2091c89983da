/**
 * The two-command promise, end to end: `npm start`'s entry point on a bare data folder starts an
 * embedded PostgreSQL, migrates, seeds the demo tenant once and prints working credentials; SIGTERM
 * closes WebSockets with 1001 and stops PostgreSQL; a restart keeps everything and seeds nothing;
 * Ctrl-C (SIGINT to the whole process group) stops it without error-level log lines. The ids the
 * examples need are printed, and examples/crm-contact finds the seeded customer.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort, spawnApi } from '../api/src/testing/process.js';
import { postmasterPid } from '../api/src/testing/embedded-postgres.js';
import { isAlive } from '../api/src/platform/db/postmaster.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Log lines at error level or above (pino: 50 error, 60 fatal). */
const errorLines = (output: string) => output.split('\n').filter((l) => /^\{"level":[5-9]\d/.test(l));

const query = async (url: string, key: string, q: string) => {
  const r = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: q }),
  });
  return (await r.json()) as { data?: any; errors?: unknown[] };
};

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

describe('start, seed, shut down, restart', () => {
  let dataDir: string;
  let pgPort: number;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchboard-lifecycle-'));
    pgPort = await freePort();
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('works from an empty data folder and keeps its data across a restart', async () => {
    const env = { DATABASE_URL: '', REDIS_URL: '', DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(pgPort), SEED_DEMO: 'true' };
    const first = await spawnApi(env, 120_000);
    let key: string;
    let operatorPassword = '';
    /** What a second seed would add to: tenants on the platform (as the operator), users of the demo tenant. */
    const rowCounts = async (url: string) => {
      const signedIn = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { signIn(input: { email: "operator@switchboard.local", password: "${operatorPassword}" }) { accessToken } }` }),
      });
      const operator = ((await signedIn.json()) as { data: { signIn: { accessToken: string } } }).data.signIn.accessToken;
      const tenants = (await query(url, operator, '{ tenants { totalCount } }')).data?.tenants.totalCount;
      const users = (await query(url, key, '{ users { totalCount } }')).data?.users.totalCount;
      return { tenants, users };
    };
    let seeded: { tenants: number; users: number } | undefined;
    try {
      const out = first.output();
      key = /Demo API key:\s+(sbk_\S+)/.exec(out)?.[1] ?? '';
      const adminPassword = /admin@demo\.example \/ (\S+)/.exec(out)?.[1] ?? '';
      operatorPassword = /operator@switchboard\.local \/ (\S+)/.exec(out)?.[1] ?? '';
      assert.ok(key && adminPassword && operatorPassword, `credentials printed:\n${out}`);
      seeded = await rowCounts(first.url);
      assert.deepEqual(seeded, { tenants: 1, users: 4 });
      const r = await query(first.url, key, '{ tenant { slug timeZone } licence { kind seats channels } users { totalCount } }');
      assert.deepEqual(r.data, {
        tenant: { slug: 'demo', timeZone: 'America/Montreal' },
        licence: { kind: 'OMNI', seats: 5, channels: 25 },
        users: { totalCount: 4 },
      });
      const cc = await query(first.url, key, '{ campaigns { edges { node { name type defaultQueue { name members { email } } dispositions { code } } } } }');
      assert.deepEqual(cc.data?.campaigns.edges[0].node, {
        name: 'Website and messaging',
        type: 'OMNI',
        defaultQueue: { name: 'Support', members: [{ email: 'agent1@demo.example' }, { email: 'agent2@demo.example' }] },
        dispositions: [{ code: 'CALLBACK' }, { code: 'RESOLVED' }, { code: 'SALE' }],
      });
      // the ids the examples ask for are printed, and examples/crm-contact finds the demo customer
      const ids = await query(first.url, key, '{ campaigns { edges { node { id defaultQueue { id } } } } }');
      const campaign = ids.data?.campaigns.edges[0].node;
      assert.equal(/Demo campaign id:\s+(\S+)/.exec(out)?.[1], campaign.id, out);
      assert.equal(/Demo queue id:\s+(\S+)/.exec(out)?.[1], campaign.defaultQueue.id, out);
      const crm = await run(process.execPath, ['--import', 'tsx', 'examples/crm-contact/contact.ts', '--email', 'customer@example.com', '--once'], {
        env: { ...process.env, SWITCHBOARD_URL: `${first.url}/graphql`, SWITCHBOARD_API_KEY: key },
        timeout: 60_000,
      });
      assert.match(crm.stdout, /^Carmen Customer \[EMAIL customer@example\.com, PHONE \+15145550142\]$/m);

      const signIn = await fetch(`${first.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { signIn(input: { email: "agent1@demo.example", password: "${adminPassword}" }) { user { role } } }` }),
      });
      assert.deepEqual(((await signIn.json()) as { data: unknown }).data, { signIn: { user: { role: 'AGENT' } } });

      const ready = await fetch(`${first.url}/readyz`);
      assert.equal(ready.status, 200);

      // a live subscription is closed with 1001 (going away) on SIGTERM
      let acknowledged!: () => void;
      const connected = new Promise<void>((resolve) => (acknowledged = resolve));
      const closed = new Promise<number>((resolve) => {
        const client = createClient({
          url: `${first.url.replace('http', 'ws')}/graphql`,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${key}` },
          retryAttempts: 0,
          lazy: false,
          onNonLazyError: () => {},
          on: { connected: () => acknowledged(), closed: (event) => resolve((event as { code: number }).code) },
        });
        client.subscribe({ query: 'subscription { licenceChanged { seats } }' }, { next() {}, error() {}, complete() {} });
      });
      await connected;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await portOpen(pgPort), true);
      const code = await first.stop('SIGTERM');
      assert.equal(code, 0);
      assert.equal(await closed, 1001);
      assert.equal(await portOpen(pgPort), false, 'the embedded PostgreSQL stopped');
    } finally {
      await first.stop('SIGKILL');
    }

    const second = await spawnApi(env, 120_000, { processGroup: true });
    try {
      assert.doesNotMatch(second.output(), /First start/);
      const r = await query(second.url, key, '{ tenant { slug } }');
      assert.deepEqual(r.data, { tenant: { slug: 'demo' } }, 'the key from the first start still works');
      assert.deepEqual(await rowCounts(second.url), seeded, 'the restart seeded nothing: as many tenants and users as before');
      // Ctrl-C: the terminal signals the whole process group; PostgreSQL must not go first
      assert.equal(await second.interrupt(), 0);
      assert.deepEqual(errorLines(second.output()), [], 'no error-level lines on Ctrl-C');
      assert.equal(await portOpen(pgPort), false, 'the embedded PostgreSQL stopped');
    } finally {
      await second.stop('SIGKILL');
    }
  });
});

/**
 * A crash (kill -9 of the API, as the OOM killer does) leaves its PostgreSQL running on the data
 * folder. The next start stops that orphan cleanly and starts its own; chat messages the API had
 * acknowledged are there. A pid file left by a dead process does not stop a start either.
 */
describe('restart after a crash', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchboard-crash-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  // as a page on the API's own origin, which the demo widget key allows
  const chat = async (url: string, query: string, variables: Record<string, unknown>) => {
    const r = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ query, variables }) });
    return (await r.json()) as { data?: any; errors?: unknown[] };
  };

  it('starts again after kill -9 of the API, keeping acknowledged chat messages; and over a stale pid file', async () => {
    const env = { DATABASE_URL: '', REDIS_URL: '', DATA_DIR: dataDir, EMBEDDED_DB_PORT: '', SEED_DEMO: 'true', PORT: String(await freePort()) };
    const first = await spawnApi(env, 120_000);
    let token: string;
    let orphan: number;
    try {
      const widgetKey = /Demo chat widget key: (\S+)/.exec(first.output())?.[1];
      assert.ok(widgetKey, first.output());
      const started = await chat(first.url, 'mutation($k: String!) { startChat(widgetKey: $k, input: { name: "Ada", message: "before the crash" }) { token } }', { k: widgetKey });
      token = started.data?.startChat?.token;
      assert.ok(token, JSON.stringify(started));
      const sent = await chat(first.url, 'mutation($t: String!) { sendVisitorMessage(token: $t, body: "acknowledged just before the kill") { body } }', { t: token });
      assert.deepEqual(sent.data, { sendVisitorMessage: { body: 'acknowledged just before the kill' } });
      orphan = (await postmasterPid(dataDir))!;
    } finally {
      await first.stop('SIGKILL');
    }
    assert.ok(isAlive(orphan), 'the killed API left its PostgreSQL running');

    const second = await spawnApi(env, 120_000, { processGroup: true });
    try {
      assert.equal(isAlive(orphan), false, 'the orphaned PostgreSQL was stopped');
      assert.match(second.output(), /stopped the embedded PostgreSQL an earlier run left behind/);
      assert.equal((await fetch(`${second.url}/readyz`)).status, 200);
      const seen = await chat(second.url, 'query($t: String!) { visitorConversation(token: $t) { messages { body } } }', { t: token });
      assert.deepEqual(
        seen.data?.visitorConversation.messages.map((m: { body: string }) => m.body),
        ['before the crash', 'acknowledged just before the kill'],
      );
      assert.equal(await second.stop('SIGTERM'), 0);
    } finally {
      await second.stop('SIGKILL');
    }

    // a pid file naming a process that is gone (a crash of the whole machine)
    await writeFile(join(dataDir, 'postgres', 'postmaster.pid'), `${2 ** 22 + 1}\n${join(dataDir, 'postgres')}\n0\n54329\n\n127.0.0.1\n`);
    const third = await spawnApi(env, 120_000);
    try {
      assert.equal((await fetch(`${third.url}/readyz`)).status, 200);
    } finally {
      await third.stop('SIGTERM');
    }
  });
});

