import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutionResult } from 'graphql';
import { codeOf, startTestApi, type GqlResult, type TestApi } from '../testing/harness.js';
import { createTenant, type TenantFixture } from '../testing/fixtures.js';
import { floor } from '../testing/contact-centre.js';

/** One operation over the API's WebSocket (as the widgets send every operation); resolves its errors or data. */
function overWs(api: TestApi, query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult> {
  const client = api.ws(token);
  return new Promise<GqlResult>((resolve) => {
    let result: GqlResult = {};
    client.subscribe(
      { query, variables },
      {
        next: (m: ExecutionResult) => (result = m as GqlResult),
        error: (errors) => resolve({ errors: errors as GqlResult['errors'] }),
        complete: () => resolve(result),
      },
    );
  }).finally(() => client.dispose());
}

describe('operation limits: introspection, aliases, bad bytes', () => {
  let api: TestApi;
  let t: TenantFixture;
  before(async () => {
    api = await startTestApi();
    t = await createTenant(api);
  });
  after(() => api.stop());

  const SCHEMA = '__schema { types { name fields { name type { name kind ofType { name kind } } } } }';

  it('answers one introspection per request, even anonymously, and refuses more as QUERY_TOO_COMPLEX', async () => {
    const one = await api.gql(`{ ${SCHEMA} }`);
    assert.equal(one.errors, undefined);
    assert.ok(one.data.__schema.types.length > 50);
    const hundred = await api.gql(`{ ${Array.from({ length: 100 }, (_, i) => `s${i}: ${SCHEMA}`).join(' ')} }`);
    assert.equal(codeOf(hundred), 'QUERY_TOO_COMPLEX');
    assert.equal(hundred.data, undefined, 'nothing ran');
    const viaFragments = await api.gql(`fragment S on Query { ${SCHEMA} } { ...S a: __type(name: "Query") { name } }`);
    assert.equal(codeOf(viaFragments), 'QUERY_TOO_COMPLEX');
    assert.equal(codeOf(await overWs(api, `{ a: ${SCHEMA} b: ${SCHEMA} }`)), 'QUERY_TOO_COMPLEX');
  });

  it('answers QUERY_TOO_COMPLEX, not an internal error, to 10,000 aliases', async () => {
    const typenames = await api.gql(`{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
    assert.equal(codeOf(typenames), 'QUERY_TOO_COMPLEX');
    const fields = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: tenant { id }`).join(' ')} }`;
    assert.equal(codeOf(await api.gql(fields, {}, t.adminToken)), 'QUERY_TOO_COMPLEX');
    assert.equal(codeOf(await overWs(api, fields, {}, t.adminToken)), 'QUERY_TOO_COMPLEX');
  });

  it('answers BAD_USER_INPUT with the field for a NUL or control character in any text input, over HTTP and WebSocket', async () => {
    const site = 'https://shop.example';
    const f = await floor(api, { agents: 0 });
    const key = (await api.ok('mutation($c: ID!, $o: [String!]!) { createWidgetKey(campaignId: $c, allowedOrigins: $o) { key } }', { c: f.campaignId, o: [site] }, f.t.adminToken)).createWidgetKey.key;
    const start = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: site },
      body: JSON.stringify({ query: 'mutation($k: String!, $i: StartChatInput!) { startChat(widgetKey: $k, input: $i) { token } }', variables: { k: key, i: { name: 'Ana', message: 'hello\u0000world' } } }),
    });
    const anonymous = (await start.json()) as GqlResult;
    assert.equal(codeOf(anonymous), 'BAD_USER_INPUT', JSON.stringify(anonymous));
    assert.equal(anonymous.errors![0].extensions!.field, 'i.message');
    assert.match(anonymous.errors![0].message, /U\+0000/);

    const literal = await api.gql('mutation { createQueue(input: { name: "Sales\\u0007", strategy: LONGEST_IDLE }) { id } }', {}, t.adminToken);
    assert.equal(codeOf(literal), 'BAD_USER_INPUT');
    assert.equal(literal.errors![0].extensions!.field, 'input.name');
    const inList = await api.gql('mutation($o: [String!]!) { createWidgetKey(campaignId: "00000000-0000-0000-0000-000000000000", allowedOrigins: $o) { key } }', { o: ['https://a.example', 'https://b.example\u001b'] }, t.adminToken);
    assert.equal(inList.errors![0].extensions!.field, 'o[1]');
    const token = await api.gql('query($t: String!) { visitorConversation(token: $t) { state } }', { t: 'vs_\u0000' });
    assert.equal(codeOf(token), 'BAD_USER_INPUT');
    const ws = await overWs(api, 'mutation($n: String!) { createQueue(input: { name: $n, strategy: LONGEST_IDLE }) { id } }', { n: 'x\u0000' }, t.adminToken);
    assert.equal(codeOf(ws), 'BAD_USER_INPUT');
    assert.equal(ws.errors![0].extensions!.field, 'n');

    // tab, line breaks and every printable character stay accepted; nothing was written above
    const fine = await api.ok('mutation($n: String!) { createQueue(input: { name: $n, strategy: LONGEST_IDLE }) { name } }', { n: 'Sales\tEMEA\nQuébec 🎧' }, t.adminToken);
    assert.equal(fine.createQueue.name, 'Sales\tEMEA\nQuébec 🎧');
    const queues = await api.ok('{ queues { edges { node { name } } } }', {}, t.adminToken);
    assert.deepEqual(queues.queues.edges.map((e: { node: { name: string } }) => e.node.name), ['Sales\tEMEA\nQuébec 🎧']);
  });
});
