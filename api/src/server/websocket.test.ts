import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApi, type TestApi } from '../testing/harness.js';
import { createTenant } from '../testing/fixtures.js';

/** Opens a graphql-ws connection with a licenceChanged subscription; resolves how the socket closed. */
function subscribeAndWatch(api: TestApi, authorization: unknown) {
  let closed!: (value: { code: number; reason: string }) => void;
  const closedP = new Promise<{ code: number; reason: string }>((r) => (closed = r));
  let connected!: () => void;
  const connectedP = new Promise<void>((r) => (connected = r));
  const events: unknown[] = [];
  const client = createClient({
    url: `${api.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    on: {
      connected: () => connected(),
      closed: (e) => closed({ code: (e as { code: number }).code, reason: String((e as { reason: string }).reason) }),
    },
  });
  client.subscribe({ query: 'subscription { licenceChanged { seats } }' }, { next: (m) => events.push(m), error: () => {}, complete: () => {} });
  return { closed: closedP, connected: connectedP, events, dispose: () => client.dispose() };
}

describe('WebSocket credentials', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ config: { wsRevalidateSeconds: 1 } });
  });
  after(() => api.stop());

  it('refuses bad credentials in connection_init with 4401 and the error code', async () => {
    const bad = subscribeAndWatch(api, 'Bearer not-a-token');
    const { code, reason } = await bad.closed;
    assert.equal(code, 4401);
    assert.match(reason, /^UNAUTHENTICATED: /);
    const odd = subscribeAndWatch(api, 42);
    assert.equal((await odd.closed).code, 4401);
  });

  it('closes an open subscription soon after its session is signed out', async () => {
    const t = await createTenant(api, { seats: 5 });
    const live = subscribeAndWatch(api, `Bearer ${t.adminToken}`);
    await live.connected;
    await api.ok('mutation { signOut }', {}, t.adminToken);
    const { code, reason } = await live.closed;
    assert.equal(code, 4401);
    assert.match(reason, /session has ended/);
  });

  it('closes an open subscription of a revoked API key, and of a suspended tenant', async () => {
    const t = await createTenant(api, { seats: 5 });
    const key = (await api.ok('mutation { createApiKey(input: { name: "k", scopes: [LICENCE_READ] }) { secret apiKey { id } } }', {}, t.adminToken)).createApiKey;
    const byKey = subscribeAndWatch(api, `Bearer ${key.secret}`);
    await byKey.connected;
    await api.ok('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.apiKey.id }, t.adminToken);
    assert.equal((await byKey.closed).code, 4401);

    const other = await createTenant(api, { seats: 5 });
    const key2 = (await api.ok('mutation { createApiKey(input: { name: "k", scopes: [LICENCE_READ] }) { secret } }', {}, other.adminToken)).createApiKey;
    const suspended = subscribeAndWatch(api, `Bearer ${key2.secret}`);
    await suspended.connected;
    await api.ok('mutation($id: ID!) { suspendTenant(id: $id) { id } }', { id: other.id }, api.operatorToken);
    const closed = await suspended.closed;
    assert.equal(closed.code, 4403);
    assert.match(closed.reason, /^TENANT_SUSPENDED: /);
  });
});
