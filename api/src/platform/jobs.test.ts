import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../testing/harness.js';

describe('background jobs', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('runs a job sent to a queue', async () => {
    const seen: string[] = [];
    await api.running.app.jobs.work<{ word: string }>('test-echo', async ({ word }) => {
      seen.push(word);
    });
    await api.running.app.jobs.send('test-echo', { word: 'hello' });
    for (let i = 0; i < 100 && !seen.includes('hello'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(seen, ['hello']);
  });

  it('keeps schedules in the database', async () => {
    await api.running.app.jobs.schedule('test-nightly', '0 3 * * *', { kind: 'purge' });
    const rows = await api.running.app.orm.em.getConnection().execute("select name, cron from pgboss.schedule where name = 'test-nightly'");
    assert.deepEqual(rows, [{ name: 'test-nightly', cron: '0 3 * * *' }]);
  });
});
