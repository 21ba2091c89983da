/** Every example runs against a real API, the way its README says to run it. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestApi, type TestApi } from '../api/src/testing/harness.js';
import { createTenant, createUsers } from '../api/src/testing/fixtures.js';

const run = promisify(execFile);

async function runExample(script: string, env: Record<string, string>, args: string[] = []) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('examples', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('crm-directory lists the licence and every user, and reports a bad key by its code', async () => {
    const t = await createTenant(api, { seats: 5 });
    const users = await createUsers(api, t.adminToken, 'AGENT', 60);
    const { secret } = (
      await api.ok('mutation { createApiKey(input: { name: "crm", scopes: [TENANT_READ, USERS_READ, LICENCE_READ] }) { secret } }', {}, t.adminToken)
    ).createApiKey;
    const url = `${api.url}/graphql`;
    const ok = await runExample('examples/crm-directory/directory.ts', { SWITCHBOARD_URL: url, SWITCHBOARD_API_KEY: secret }, ['--once']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /OMNI licence, 0\/5 agents signed in/);
    assert.match(ok.stdout, /^61 users$/m);
    for (const u of users) assert.ok(ok.stdout.includes(u.email), u.email);

    const bad = await runExample('examples/crm-directory/directory.ts', { SWITCHBOARD_URL: url, SWITCHBOARD_API_KEY: 'sbk_wrong' }, ['--once']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Switchboard said UNAUTHENTICATED/);
  });
});
