import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApi, type TestApi } from '../testing/harness.js';
import { createTenant, type TenantFixture } from '../testing/fixtures.js';

/** A real graphql-ws client that reports how its socket closed. */
function socket(api: TestApi, token?: string) {
  let closed!: (e: { code: number; reason: string }) => void;
  let connected!: () => void;
  const result = {
    closed: new Promise<{ code: number; reason: string }>((r) => (closed = r)),
    connected: new Promise<void>((r) => (connected = r)),
    client: undefined as unknown as Client,
  };
  result.client = createClient({
    url: `${api.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    on: {
      connected: () => connected(),
      closed: (e) => closed({ code: (e as { code: number }).code, reason: String((e as { reason: string }).reason) }),
    },
  });
  return result;
}

/** Resolves once a `{ __typename }` query answers on the socket: the server has read everything sent before it. */
const roundTrip = (client: Client) =>
  new Promise<void>((resolve, reject) => client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve }));

describe('WebSocket limits', () => {
  let api: TestApi;
  let t: TenantFixture;
  const opened: Client[] = [];
  before(async () => {
    api = await startTestApi({ config: { wsMaxSubscriptions: 3, wsMaxSocketsPerPrincipal: 2, wsMaxAnonymousSocketsPerAddress: 2 } });
    t = await createTenant(api, { seats: 5 });
  });
  after(async () => {
    await Promise.all(opened.map((c) => c.dispose()));
    await api.stop();
  });

  it('refuses a subscription beyond WS_MAX_SUBSCRIPTIONS with TOO_MANY_SUBSCRIPTIONS; the others still get their events', async () => {
    const s = socket(api, t.adminToken);
    opened.push(s.client);
    await s.connected;
    const events: number[] = [];
    const refused: unknown[] = [];
    for (let n = 0; n < 4; n++) {
      s.client.subscribe({ query: 'subscription { licenceChanged { seats } }' }, {
        next: () => events.push(n),
        error: (err) => refused.push(err),
        complete: () => {},
      });
    }
    await roundTrip(s.client).then(
      () => assert.fail('a query beyond the limit must be refused too'),
      (err) => refused.push(err),
    );
    assert.equal(refused.length, 2, 'the 4th subscription and the query');
    for (const errors of refused) assert.equal((errors as { extensions: { code: string } }[])[0].extensions.code, 'TOO_MANY_SUBSCRIPTIONS');

    await api.ok('mutation($id: ID!) { setTenantLicence(tenantId: $id, terms: { kind: OMNI, seats: 7 }) { id } }', { id: t.id }, api.operatorToken);
    for (let i = 0; i < 500 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(events.sort(), [0, 1, 2], 'one copy per admitted subscription, none for the refused one');
  });

  it('closes a socket beyond WS_MAX_SOCKETS_PER_PRINCIPAL with 4429; one closed makes room again', async () => {
    const key = (await api.ok('mutation { createApiKey(input: { name: "board", scopes: [LICENCE_READ] }) { secret } }', {}, t.adminToken)).createApiKey.secret;
    const first = socket(api, key);
    const second = socket(api, key);
    opened.push(first.client, second.client);
    await Promise.all([first.connected, second.connected]);
    const third = socket(api, key);
    opened.push(third.client);
    const refused = await Promise.race([third.connected.then(() => ({ code: 0, reason: 'connected' })), third.closed]);
    assert.equal(refused.code, 4429, refused.reason);
    assert.match(refused.reason, /^TOO_MANY_CONNECTIONS: /);
    const otherUser = socket(api, t.adminToken); // the admin's own count (one open above) is separate
    opened.push(otherUser.client);
    await otherUser.connected;

    await first.client.dispose();
    await first.closed;
    // the server counts the socket out once its side has closed too, a moment after the client's
    let again = socket(api, key);
    for (let tries = 0; tries < 100 && (await Promise.race([again.connected.then(() => 0), again.closed.then((e) => e.code)])) === 4429; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      again = socket(api, key);
    }
    opened.push(again.client);
    await roundTrip(again.client);
  });

  it('closes an anonymous socket beyond WS_MAX_ANONYMOUS_SOCKETS_PER_ADDRESS with 4429', async () => {
    const a = socket(api);
    const b = socket(api);
    opened.push(a.client, b.client);
    await Promise.all([a.connected, b.connected]);
    const c = socket(api);
    opened.push(c.client);
    assert.equal((await Promise.race([c.connected.then(() => ({ code: 0 })), c.closed])).code, 4429);
    await roundTrip(a.client);
  });
});
