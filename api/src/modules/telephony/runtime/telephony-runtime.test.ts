import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createTenant, createUsers, signIn } from '../../../testing/fixtures.js';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../../testing/telephony.js';
import { spawnApi } from '../../../testing/process.js';
import { createDatabase, dropDatabase } from '../../../platform/db/scratch.js';
import { freePort } from '../../../platform/net.js';
import { kamailioRpc, telephonyRuntime } from './index.js';

const skip = await telephonySkipReason();

describe('telephony runtime', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  before(async () => {
    api = await startTelephonyTestApi();
  });
  after(() => api?.stop());

  it('reports Kamailio and rtpengine in /readyz', async () => {
    const res = await fetch(`${api.url}/readyz`);
    const body = (await res.json()) as { checks: Record<string, string> };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.checks.kamailio, 'ok');
    assert.equal(body.checks.rtpengine, 'ok');
  });

  it('refuses Kamailio JSON-RPC without the shared secret', async () => {
    const res = await fetch(`http://127.0.0.1:${api.telephony.rpcPort}/RPC`, {
      method: 'POST',
      headers: { connection: 'close' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'core.version', id: 1 }),
    });
    assert.equal(res.status, 401);
  });

  it('restarts a killed Kamailio; agents register again and readyz recovers', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const token = await signIn(api, agent.email, agent.password, t.slug);
    const creds = (await api.ok('mutation { issueSipCredentials { username domain password } }', {}, token)).issueSipCredentials;
    const register = async () =>
      runSipp([
        `127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'register.xml'), '-m', '1', '-i', '127.0.0.1',
        '-p', String(await freeUdpPorts()), '-au', creds.username, '-ap', creds.password, '-key', 'user', creds.username, '-key', 'domain', creds.domain,
      ], 10_000);
    assert.equal((await register()).code, 0);

    const runtime = telephonyRuntime(api.running.app)!;
    const firstPid = runtime.kamailio.pid!;
    process.kill(firstPid, 'SIGKILL');
    await waitFor('a new Kamailio', async () => runtime.kamailio.pid && runtime.kamailio.pid !== firstPid);
    assert.equal(runtime.kamailio.starts, 2);
    await waitFor('Kamailio answering again', () => kamailioRpc(api.running.app, 'core.version').then(() => true, () => false), 15_000);
    const again = await register();
    assert.equal(again.code, 0, again.output.slice(-1500));
    const readyz = await fetch(`${api.url}/readyz`);
    assert.equal(readyz.status, 200);
  });
});

describe('telephony without its binaries', () => {
  it('says so in one line with the apt-get command, and the platform runs', async () => {
    const name = `sb_test_nobin_${Date.now()}`;
    const url = await createDatabase(process.env.TEST_DATABASE_URL!, name, process.env.SB_TEST_TEMPLATE);
    const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-tel-'));
    const api = await spawnApi({
      DATABASE_URL: url, REDIS_URL: '', DATA_DIR: dataDir, SEED_DEMO: 'false', TELEPHONY: '1',
      KAMAILIO_BIN: '/nonexistent/kamailio', RTPENGINE_BIN: '/nonexistent/rtpengine',
      SIP_UDP_PORT: String(await freeUdpPorts()), SIP_WS_PORT: String(await freePort()),
    });
    try {
      // the log line may follow the start-up banner on stdout
      await waitFor('the apt-get line', async () => api.output().includes('apt-get install')).catch(() => {});
      const lines = api.output().split('\n').filter((l) => l.includes('apt-get install'));
      assert.equal(lines.length, 1, api.output());
      assert.match(lines[0]!, /Telephony is off: .*apt-get install kamailio .*rtpengine-daemon/);
      await waitFor('the start-up banner', async () => api.output().includes('Switchboard is running'));
      assert.doesNotMatch(api.output(), /SIP: udp/, 'no SIP address is printed for telephony that did not start');
      assert.match(api.output(), /Telephony: off \(Kamailio or rtpengine is not installed/);
      const res = await fetch(`${api.url}/readyz`);
      const body = (await res.json()) as { checks: Record<string, string> };
      assert.match(body.checks.telephony!, /^not installed/);
      assert.equal(body.checks.database, 'ok');
      const gql = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      assert.equal(gql.status, 200, 'the rest of the platform answers');
    } finally {
      await api.stop();
      await dropDatabase(process.env.TEST_DATABASE_URL!, name);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
