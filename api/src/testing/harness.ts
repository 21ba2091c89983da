/**
 * Test harness: a real API on port 0 over its own fresh PostgreSQL database, plus helpers that
 * talk to it over HTTP and graphql-ws exactly as clients do.
 */
import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createOrm } from '../platform/db/orm.js';
import { createDatabase, dropDatabase } from '../platform/db/scratch.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { start, type Running } from '../server/start.js';
import { hashPassword } from '../platform/auth/password.js';
import { Role } from '../platform/auth/permissions.js';
import { platformEm } from '../platform/db/orm.js';
import { User } from '../modules/identity/user.entity.js';
import type { Clock } from '../platform/clock.js';
import { watchListeners, type ListenerWatch } from './listeners.js';

process.env.PASSWORD_HASH_COST ??= '12';


const connections = new WeakMap<Client, Promise<void>>();

/**
 * Resolves once a client from `TestApi.ws` has its connection acknowledged, then `settleMs` more
 * (graphql-ws does not confirm a subscription: the server registers it right after it reads it).
 * Tests subscribe first, then await this before they cause the events they expect. A test that
 * asserts a subscriber received NOTHING must not rely on the pause: it awaits
 * `TestApi.subscribed(topic, id)` (the server is listening) and, after the negative check, sends
 * that subscriber something and sees it arrive.
 */
export async function wsReady(client: Client, settleMs = 200): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the test WebSocket was not acknowledged within 10 s')), 10_000);
  });
  try {
    await Promise.race([connections.get(client) ?? Promise.resolve(), timeout]);
  } finally {
    clearTimeout(timer);
  }
  await new Promise((r) => setTimeout(r, settleMs));
}

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: (string | number)[] }[];
}

export interface TestApi extends ListenerWatch {
  running: Running;
  url: string;
  databaseUrl: string;
  /** SQL statements seen since the counter was last reset. */
  queries: { count: number; reset(): void };
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  /** Like gql, but throws on errors and returns data. */
  ok<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  ws(token?: string): Client;
  operatorToken: string;
  stop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`, which provides a PostgreSQL');
  return url;
}

/** A new database: a copy of the migrated template when the runner made one, else migrated here. */
async function freshDatabase(): Promise<{ url: string; name: string }> {
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  const template = process.env.SB_TEST_TEMPLATE;
  const url = await createDatabase(serverUrl(), name, template);
  if (!template) {
    const orm = await createOrm({ url, poolMax: 1 });
    await orm.migrator.up();
    await orm.close(true);
  }
  return { url, name };
}

export const OPERATOR = { email: 'operator@test.local', password: 'operator-password' };

export async function startTestApi(options: { redisUrl?: string; config?: Record<string, unknown>; clock?: Clock; logger?: Logger } = {}): Promise<TestApi> {
  const db = await freshDatabase();
  const queries = { count: 0, reset() { this.count = 0; } };
  const running = await start({
    config: {
      databaseUrl: db.url,
      redisUrl: options.redisUrl,
      host: '127.0.0.1',
      port: 0,
      seedDemo: false,
      publicUrl: undefined,
      routingSweepSeconds: 0,
      ...options.config,
    },
    logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL || 'silent'),
    onQuery: () => void queries.count++,
    clock: options.clock,
  });
  const listeners = watchListeners(running.app.events.pubSub);
  const em = platformEm(running.app.orm);
  em.create(User, {
    tenant: null,
    email: OPERATOR.email,
    name: 'Test operator',
    role: Role.PLATFORM_OPERATOR,
    passwordHash: await hashPassword(OPERATOR.password),
  });
  await em.flush();

  const url = running.url;
  const clients: Client[] = [];
  const gql = async <T,>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResult<T>;
  };
  const ok = async <T,>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T> => {
    const result = await gql<T>(query, variables, token);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  };
  const signedIn = await ok<{ signIn: { accessToken: string } }>(
    'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }',
    { input: OPERATOR },
  );
  return {
    running,
    url,
    databaseUrl: db.url,
    queries,
    gql,
    ok,
    operatorToken: signedIn.signIn.accessToken,
    subscribed: listeners.subscribed,
    ws(token?: string) {
      const client = createClient({
        url: `${url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => {},
      });
      clients.push(client);
      connections.set(client, new Promise<void>((resolve) => client.on('connected', () => resolve())));
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await running.stop();
      await dropDatabase(serverUrl(), db.name);
    },
  };
}

/** The first error code of a result, for assertions. */
export const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
