/**
 * The SDK against a real API (fresh PostgreSQL, port 0): sign-in, pagination, subscriptions, typed
 * errors and retries. Only the retry tests put a small HTTP server in front of the API.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { startTestApi, type TestApi } from '../../api/src/testing/harness.js';
import { createTenant, createUsers, signIn } from '../../api/src/testing/fixtures.js';
import {
  CreateApiKeyDocument,
  CreateUserDocument,
  LicenceChangedDocument,
  SignOutDocument,
  UsersDocument,
  ViewerDocument,
  SwitchboardError,
  createClient,
  type ClientOptions,
  type SwitchboardClient,
} from './index.js';

const root = join(import.meta.dirname, '..', '..');
const SET_LICENCE = 'mutation($id: ID!, $terms: LicenceTermsInput!) { setTenantLicence(tenantId: $id, terms: $terms) { seats } }';

/**
 * The first event of a subscription. The protocol does not acknowledge a subscription, so the
 * change that should cause an event is repeated until one arrives: the first change may reach the
 * server before the subscription does.
 */
async function firstEvent<T>(events: AsyncIterableIterator<T>, change: () => Promise<unknown>): Promise<T> {
  const first = events.next();
  let settled = false;
  first.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 40 && !settled; i++) {
    await change();
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const step = await first;
  assert.equal(step.done, false, 'the subscription ended without an event');
  return step.value as T;
}

/** An assert.rejects predicate: a SwitchboardError with this code. */
const withCode = (code: string) => (err: unknown) => {
  assert.ok(err instanceof SwitchboardError, `expected a SwitchboardError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  return true;
};

describe('@switchboard/sdk against a real API', () => {
  let api: TestApi;
  let graphqlUrl: string;
  const clients: SwitchboardClient[] = [];
  const client = (options: Partial<ClientOptions> = {}) => {
    const c = createClient({ url: graphqlUrl, ...options });
    clients.push(c);
    return c;
  };

  const setLicence = (tenantId: string, seats: number) =>
    api.ok(SET_LICENCE, { id: tenantId, terms: { kind: 'OMNI', seats } }, api.operatorToken);

  before(async () => {
    api = await startTestApi();
    graphqlUrl = `${api.url}/graphql`;
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await api.stop();
  });

  it('signs in, refreshes and signs out through the SDK, with a token getter', async () => {
    const t = await createTenant(api);
    const session = await client().signIn({ email: `admin@${t.slug}.example`, password: 'admin-password-1', tenant: t.slug });
    assert.equal(session.user.role, 'ADMINISTRATOR');
    let token: string | undefined = session.accessToken;
    const admin = client({ getToken: async () => token });

    const viewer = await admin.viewer();
    assert.equal(viewer.kind, 'USER');
    assert.equal(viewer.tenant?.slug, t.slug);
    assert.equal(viewer.user?.id, t.adminId);

    const refreshed = await admin.refreshSession(session.refreshToken);
    token = refreshed.accessToken;
    assert.equal((await admin.tenant()).id, t.id);
    assert.equal(await admin.signOut(), true);
    await assert.rejects(admin.viewer(), withCode('UNAUTHENTICATED'));
  });

  it('authenticates with an API key', async () => {
    const t = await createTenant(api);
    const admin = client({ getToken: () => t.adminToken });
    const { createApiKey } = await admin.request(CreateApiKeyDocument, { input: { name: 'crm', scopes: ['USERS_READ', 'TENANT_READ'] } });
    const viewer = await client({ apiKey: createApiKey.secret }).viewer();
    assert.deepEqual({ kind: viewer.kind, slug: viewer.tenant?.slug }, { kind: 'API_KEY', slug: t.slug });
  });

  it('pages through every user with paginate', async () => {
    const t = await createTenant(api);
    const created = await createUsers(api, t.adminToken, 'AGENT', 25);
    let posts = 0;
    const admin = client({
      getToken: () => t.adminToken,
      fetch: (input, init) => {
        posts++;
        return fetch(input, init);
      },
    });
    const seen = [];
    for await (const user of admin.paginate(UsersDocument, { first: 10 }, (data) => data.users)) seen.push(user);
    assert.equal(posts, 3, 'three pages of 10, 10 and 6');
    assert.equal(seen.length, 26);
    assert.equal(new Set(seen.map((u) => u.id)).size, 26, 'no user twice');
    assert.deepEqual(new Set(seen.map((u) => u.id)), new Set([t.adminId, ...created.map((u) => u.id)]));
    assert.ok(seen.every((u) => Array.isArray(u.securityGroups)));
    assert.equal((await admin.users({ first: 1 })).totalCount, 26);

    const agents = [];
    for await (const user of admin.allUsers({ first: 7, role: 'AGENT' })) agents.push(user);
    assert.equal(agents.length, 25);
  });

  it('receives licenceChanged events after the operator changes the licence', async () => {
    const t = await createTenant(api, { seats: 5 });
    const admin = client({ getToken: () => t.adminToken });
    const events = admin.subscribe(LicenceChangedDocument);
    let seats = 5;
    const first = await firstEvent(events, () => setLicence(t.id, ++seats));
    assert.ok(first.licenceChanged.seats > 5 && first.licenceChanged.seats <= seats);
    assert.equal(first.licenceChanged.kind, 'OMNI');
    assert.equal(first.licenceChanged.channels, first.licenceChanged.seats * first.licenceChanged.policy.channelsPerSeat);

    // Later events arrive in order, and return() ends the subscription.
    await setLicence(t.id, 50);
    let last = 0;
    while (last !== 50) {
      const next = await events.next();
      assert.equal(next.done, false);
      if (!next.done) last = next.value.licenceChanged.seats;
    }
    assert.deepEqual(await events.return!(), { done: true, value: undefined });
    assert.deepEqual(await events.next(), { done: true, value: undefined });
  });

  it('subscribes with the current token once getToken returns a new one', async () => {
    const t = await createTenant(api, { seats: 5 });
    const credentials = { email: `admin@${t.slug}.example`, password: 'admin-password-1', tenant: t.slug };
    let token = (await client().signIn(credentials)).accessToken;
    const admin = client({ getToken: () => token });
    let seats = 5;
    const before = admin.licenceChanges();
    await firstEvent(before, () => setLicence(t.id, ++seats));
    // The first session ends while its socket stays open; the API would refuse new subscriptions on it.
    await admin.signOut();
    token = (await client().signIn(credentials)).accessToken;
    const after = admin.licenceChanges();
    assert.ok((await firstEvent(after, () => setLicence(t.id, ++seats))).seats > 5);
    await before.return!();
    await after.return!();
  });

  it('surfaces subscription errors as SwitchboardError', async () => {
    const badKey = client({ apiKey: `sbk_${randomBytes(32).toString('base64url')}`, webSocketImpl: WebSocket });
    await assert.rejects(badKey.subscribe(LicenceChangedDocument).next(), withCode('UNAUTHENTICATED'));

    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const agentToken = await signIn(api, agent.email, agent.password, t.slug);
    const agentClient = client({ getToken: () => agentToken, webSocketImpl: WebSocket });
    await assert.rejects(agentClient.licenceChanges().next(), withCode('FORBIDDEN'));
  });

  it('throws typed errors with the API code', async () => {
    const t = await createTenant(api);
    const admin = client({ getToken: () => t.adminToken });
    await assert.rejects(admin.user(randomUUID()), (err) => {
      withCode('NOT_FOUND')(err);
      assert.deepEqual((err as SwitchboardError).path, ['user']);
      assert.equal((err as SwitchboardError).errors.length, 1);
      return true;
    });
    await assert.rejects(client({ apiKey: 'sbk_not-a-real-key' }).viewer(), withCode('UNAUTHENTICATED'));
    await assert.rejects(
      admin.request(CreateUserDocument, { input: { email: 'new@example.com', name: 'New', role: 'AGENT', password: 'short' } }),
      withCode('BAD_USER_INPUT'),
    );
  });

  describe('retries', () => {
    let proxy: Server;
    let proxyUrl: string;
    let hits = 0;
    let failures = 0;

    before(async () => {
      // Answers 503 while `failures` lasts, then passes the request on to the API.
      proxy = createServer(async (req, res) => {
        hits++;
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        if (failures > 0) {
          failures--;
          res.writeHead(503, { 'content-type': 'text/plain' }).end('starting');
          return;
        }
        const answer = await fetch(graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(req.headers.authorization && { authorization: req.headers.authorization }) },
          body: Buffer.concat(chunks),
        });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/graphql`;
    });
    after(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

    const reset = (failing: number) => {
      hits = 0;
      failures = failing;
    };

    it('retries a query after 503s and never retries a mutation', async () => {
      const t = await createTenant(api);
      const viaProxy = client({ url: proxyUrl, getToken: () => t.adminToken, retry: { attempts: 3, baseDelayMs: 5 } });
      reset(2);
      assert.equal((await viaProxy.request(ViewerDocument)).viewer.tenant?.id, t.id);
      assert.equal(hits, 3, 'two 503s, then the answer');

      reset(2);
      await assert.rejects(viaProxy.request(SignOutDocument), (err) => {
        withCode('HTTP_ERROR')(err);
        assert.equal((err as SwitchboardError).status, 503);
        return true;
      });
      assert.equal(hits, 1, 'a mutation is sent once');

      reset(5);
      await assert.rejects(viaProxy.viewer(), withCode('HTTP_ERROR'));
      assert.equal(hits, 3, 'no more tries than attempts');

      reset(0);
      await assert.rejects(viaProxy.user(randomUUID()), withCode('NOT_FOUND'));
      assert.equal(hits, 1, 'a GraphQL error is not retried');
    });

    it('retries queries on network errors, then throws NETWORK_ERROR', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(closed.address() as { port: number }).port}/graphql`;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      let tries = 0;
      const offline = client({ url, retry: { attempts: 4, baseDelayMs: 1 }, fetch: (i, o) => (tries++, fetch(i, o)) });
      await assert.rejects(offline.viewer(), withCode('NETWORK_ERROR'));
      assert.equal(tries, 4);
    });
  });
});

describe('generated code', () => {
  const cli = createRequire(import.meta.url).resolve('@graphql-codegen/cli/package.json');
  const bin = async () => join(dirname(cli), JSON.parse(await readFile(cli, 'utf8')).bin['graphql-codegen'] as string);
  const codegen = async (config: string) => {
    const child = spawn(process.execPath, [await bin(), '--config', config, '--check'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, output };
  };

  it('is up to date with schema/schema.graphql and the operations', async () => {
    const { code, output } = await codegen('codegen.yml');
    assert.equal(code, 0, `sdk/src/generated is stale: run \`npm run generate -w @switchboard/sdk\`\n${output}`);
  });

  it('is checked for real: a stale file fails the check, naming the file; a fresh copy passes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sdk-codegen-'));
    try {
      const stale = join(dir, 'graphql.ts');
      await writeFile(stale, '// stale\n');
      const config = (await readFile(join(root, 'codegen.yml'), 'utf8')).replace('sdk/src/generated/graphql.ts:', `${JSON.stringify(stale)}:`);
      assert.notEqual(config.indexOf(stale), -1);
      await writeFile(join(dir, 'codegen.yml'), config);
      const checked = await codegen(join(dir, 'codegen.yml'));
      assert.equal(checked.code, 1, checked.output);
      // the failure is the staleness verdict on that file, not a broken configuration
      assert.match(checked.output, new RegExp(`stale files were detected:\\s*- ${stale.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`), checked.output);
      await writeFile(stale, await readFile(join(root, 'sdk/src/generated/graphql.ts')));
      const fresh = await codegen(join(dir, 'codegen.yml'));
      assert.equal(fresh.code, 0, `the same configuration passes with an up-to-date file:\n${fresh.output}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
