import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../../../api/src/testing/harness.js';
import { floor, type Floor } from '../../../api/src/testing/contact-centre.js';
import { GraphqlSocket, OperationError, socketUrl, type ConnectionStatus } from './transport.js';

describe('widget transport (graphql-transport-ws against the real API)', () => {
  let api: TestApi;
  let f: Floor;
  before(async () => {
    api = await startTestApi();
    f = await floor(api, { agents: 1 });
  });
  after(() => api.stop());

  const url = () => socketUrl(null, `${api.url}/widgets/webchat.js`);

  it('derives the API socket from the script address or an api-url', () => {
    assert.equal(socketUrl(null, 'https://cc.example.com/widgets/webchat.js'), 'wss://cc.example.com/graphql');
    assert.equal(socketUrl('http://127.0.0.1:4000/', 'https://x.example/widgets/w.js'), 'ws://127.0.0.1:4000/graphql');
    assert.equal(socketUrl('https://api.example.com/graphql', 'https://x.example/w.js'), 'wss://api.example.com/graphql');
  });

  it('answers queries and mutations over the socket, with the API error codes', async () => {
    const socket = new GraphqlSocket(url(), { connectionParams: () => ({ authorization: `Bearer ${f.agents[0].token}` }) });
    try {
      assert.deepEqual(await socket.request('{ myAgentState { status } }'), { myAgentState: { status: 'AVAILABLE' } });
      await assert.rejects(socket.request('mutation($id: ID!) { acceptInteraction(id: $id) { id } }', { id: '00000000-0000-7000-8000-000000000000' }), (e: OperationError) => e.code === 'NOT_FOUND');
    } finally {
      socket.close();
    }
  });

  it('resubscribes after a dropped connection with variables read again', async () => {
    const statuses: ConnectionStatus[] = [];
    const socket = new GraphqlSocket(url(), { connectionParams: () => ({ authorization: `Bearer ${f.t.adminToken}` }), onStatus: (s) => statuses.push(s) });
    let asked = 0;
    const received: number[] = [];
    const stop = socket.subscribe<{ queueStats: { waiting: number }[] }>(
      'subscription($q: [ID!]) { queueStats(queueIds: $q) { waiting } }',
      () => (asked++, { q: [f.queueId] }),
      (d) => received.push(d.queueStats[0].waiting),
    );
    try {
      await until(() => received.length === 1);
      socket.reconnect();
      await until(() => received.length === 2);
      assert.equal(asked, 2);
      assert.deepEqual(statuses, ['open', 'offline', 'connecting', 'open']);
    } finally {
      stop();
      socket.close();
    }
  });

  it('stops trying when the API refuses the credentials, and says why', async () => {
    const statuses: string[] = [];
    const socket = new GraphqlSocket(url(), {
      connectionParams: () => ({ authorization: 'Bearer not-a-token' }),
      fatal: (code) => code === 4401 || code === 4403,
      onStatus: (s, reason) => statuses.push(`${s}${reason ? ` ${reason.split(':')[0]}` : ''}`),
    });
    await assert.rejects(socket.request('{ myAgentState { status } }'), (e: OperationError) => e.code === 'UNAUTHENTICATED');
    assert.deepEqual(statuses, ['offline UNAUTHENTICATED']);
    socket.close();
  });
});

async function until(check: () => boolean) {
  for (const end = Date.now() + 10_000; !check(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() > end) throw new Error('timed out');
}
