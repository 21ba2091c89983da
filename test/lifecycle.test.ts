/**
 * The two-command promise, end to end: `npm start`'s entry point on a bare data folder starts an
 * embedded PostgreSQL, migrates, seeds the demo tenant once and prints working credentials; SIGTERM
 * closes WebSockets with 1001 and stops PostgreSQL; a restart keeps everything and seeds nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort, spawnApi } from '../api/src/testing/process.js';

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
    try {
      const out = first.output();
      key = /Demo API key:\s+(sbk_\S+)/.exec(out)?.[1] ?? '';
      const adminPassword = /admin@demo\.example \/ (\S+)/.exec(out)?.[1] ?? '';
      assert.ok(key && adminPassword, `credentials printed:\n${out}`);
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

    const second = await spawnApi(env, 120_000);
    try {
      assert.doesNotMatch(second.output(), /First start/);
      const r = await query(second.url, key, '{ tenant { slug } }');
      assert.deepEqual(r.data, { tenant: { slug: 'demo' } }, 'the key from the first start still works');
      assert.equal(await second.stop('SIGINT'), 0);
    } finally {
      await second.stop('SIGKILL');
    }
  });
});
