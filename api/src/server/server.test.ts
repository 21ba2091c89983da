import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createOrm } from '../platform/db/orm.js';
import { codeOf, startTestApi, type TestApi } from '../testing/harness.js';
import { SCHEMA_PATH } from './emit-schema.js';
import { createSchema, printPublicSchema } from './schema.js';
import { createTenant } from '../testing/fixtures.js';

describe('server', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('answers liveness and readiness, with a request id on every response', async () => {
    const health = await fetch(`${api.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${api.url}/readyz`, { headers: { 'x-request-id': 'trace-123' } });
    assert.equal(ready.status, 200);
    assert.equal(ready.headers.get('x-request-id'), 'trace-123');
    assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
    const other = await fetch(`${api.url}/healthz`);
    assert.match(other.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('refuses operations without credentials, and with bad ones', async () => {
    assert.equal(codeOf(await api.gql('{ tenant { id } }')), 'UNAUTHENTICATED');
    assert.equal(codeOf(await api.gql('{ tenant { id } }', {}, 'not-a-token')), 'UNAUTHENTICATED');
    assert.equal(codeOf(await api.gql('{ tenant { id } }', {}, 'sbk_unknownkey')), 'UNAUTHENTICATED');
    const forged = api.operatorToken.slice(0, -4) + 'AAAA';
    assert.equal(codeOf(await api.gql('{ tenant { id } }', {}, forged)), 'UNAUTHENTICATED');
  });

  it('rejects queries deeper or costlier than the limits, before running them', async () => {
    const limited = await startTestApi({ config: { maxQueryDepth: 4, maxQueryCost: 50 } });
    try {
      const t = await createTenant(limited);
      const deep = await limited.gql('{ users { edges { node { securityGroups { id } } } } }', {}, t.adminToken);
      assert.equal(codeOf(deep), 'QUERY_TOO_DEEP');
      assert.match(deep.errors![0].message, /5 levels deep; the limit is 4/);
      const viaFragment = await limited.gql(
        'fragment G on User { securityGroups { id } } { users { edges { node { ...G } } } }',
        {},
        t.adminToken,
      );
      assert.equal(codeOf(viaFragment), 'QUERY_TOO_DEEP');
      const costly = await limited.gql('{ users(first: 100) { edges { node { id email name } } } }', {}, t.adminToken);
      assert.equal(codeOf(costly), 'QUERY_TOO_COMPLEX');
      assert.match(costly.errors![0].message, /costs \d+; the limit is 50/);
      const fine = await limited.gql('{ users(first: 5) { edges { node { id } } } }', {}, t.adminToken);
      assert.equal(fine.errors, undefined);
    } finally {
      await limited.stop();
    }
  });

  it('answers malformed ids and out-of-range pages with typed errors', async () => {
    const t = await createTenant(api);
    assert.equal(codeOf(await api.gql('{ user(id: "42") { id } }', {}, t.adminToken)), 'NOT_FOUND');
    assert.equal(codeOf(await api.gql('{ users(first: 0) { totalCount } }', {}, t.adminToken)), 'BAD_USER_INPUT');
    assert.equal(codeOf(await api.gql('{ users(first: 101) { totalCount } }', {}, t.adminToken)), 'BAD_USER_INPUT');
    assert.equal(codeOf(await api.gql('{ users(after: "garbage") { totalCount } }', {}, t.adminToken)), 'BAD_USER_INPUT');
  });

  it('serves the schema that is committed in schema/schema.graphql', async () => {
    const committed = await readFile(SCHEMA_PATH, 'utf8');
    const emitted = printPublicSchema(await createSchema());
    assert.equal(emitted, committed, 'schema/schema.graphql is stale: run `npm run schema:emit` and note the change in CHANGELOG.md');
  });

  it('has migrations that match the entities', async () => {
    const orm = await createOrm({ url: api.databaseUrl, poolMax: 1 });
    try {
      const sql = await orm.schema.getUpdateSchemaSQL({ wrap: false });
      assert.equal(sql.trim(), '', `entities and migrations disagree; run \`npm run migration:create\`:\n${sql}`);
    } finally {
      await orm.close(true);
    }
  });
});
