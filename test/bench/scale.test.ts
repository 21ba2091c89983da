/**
 * `bench:scale` at a smoke size, so it never rots: the same generator writes a demo tenant and a
 * tiny "large" tenant with a neighbour, and every operation the bench times runs once and has its
 * answer checked against the rows (pages in order and inside their filters, counts, searches,
 * statistics, the sweep, and the retention purge purging exactly what is due, then nothing).
 * No timing is asserted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestApi, type TestApi } from '../../api/src/testing/harness.js';
import { DEMO, LARGE, NEIGHBOUR, scaled } from './scale-data.js';
import { OPERATIONS, PLATFORM_OPERATIONS } from './scale-ops.js';
import { checkAll, checkPurge, tenantWithHistory, type Api } from './scale-setup.js';

describe('bench:scale (smoke size)', () => {
  let api: TestApi;
  let bench: Api;
  before(async () => {
    api = await startTestApi();
    const db = new pg.Client({ connectionString: api.databaseUrl });
    await db.connect();
    bench = { url: api.url, operatorToken: api.operatorToken, app: api.running.app, db };
  });
  after(async () => {
    await bench?.db.end();
    await api?.stop();
  });

  it('generates tenants whose every operation answers correctly, and purges what is due', async () => {
    const demo = await tenantWithHistory(bench, 'smoke-demo', { ...DEMO, interactions: 400, contacts: 80, sessions: 60, tickets: 30 });
    const large = await tenantWithHistory(bench, 'smoke-large', scaled(LARGE, 0.001));
    await tenantWithHistory(bench, 'smoke-near', scaled(NEIGHBOUR, 0.002));
    const all = [...OPERATIONS, ...PLATFORM_OPERATIONS].map((o) => o.name);
    assert.deepEqual(await checkAll(demo), all);
    assert.deepEqual(await checkAll(large), all);
    const { purged } = await checkPurge(bench);
    assert.ok(purged > 0, 'the generated history has transcripts due tonight');
  });
});
