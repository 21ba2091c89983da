/**
 * bench:sip's contact centre: a VOICE tenant whose DID routes through the real API decision to a
 * pool of agents, every one of them signed in, AVAILABLE, with no wrap-up, and registered with
 * Kamailio from one sipp phone (one contact, many AORs), so each call the API routes reaches a
 * sipp UAS that answers it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TelephonyTestApi } from '../../api/src/testing/telephony.js';

const { runSipp, SIPP_SCENARIOS, waitFor } = await import('../../api/src/testing/telephony.js');
const { createTenant, createUsers, signIn } = await import('../../api/src/testing/fixtures.js');

export interface AgentPool {
  /** The DID the trunk calls (sipp's `-s`). */
  did: string;
  accounts: { username: string; domain: string; password: string; uri: string }[];
  /** Registers every agent with the Kamailio on `sipPort` from `phonePort`; waits until the API knows them all. */
  register(sipPort: number, phonePort: number): Promise<void>;
}

export async function agentPool(api: TelephonyTestApi, size: number, did: string): Promise<AgentPool> {
  const t = await createTenant(api, { seats: Math.max(5, size), kind: 'VOICE' });
  const queueId = (await api.ok('mutation { createQueue(input: { name: "Q", strategy: LONGEST_IDLE, wrapUpSeconds: 0 }) { id } }', {}, t.adminToken)).createQueue.id;
  const campaignId = (
    await api.ok('mutation($q: ID!) { createCampaign(input: { name: "C", type: VOICE_INBOUND, timeZone: "UTC", defaultQueueId: $q }) { id } }', { q: queueId }, t.adminToken)
  ).createCampaign.id;
  const trunkId = (await api.ok('mutation { createSipTrunk(input: { name: "T", host: "127.0.0.1", allowedSources: ["127.0.0.1"] }) { id } }', {}, t.adminToken)).createSipTrunk.id;
  await api.ok('mutation($i: DidInput!) { addDid(input: $i) { id } }', { i: { number: did, trunkId, campaignId } }, t.adminToken);
  const users = await createUsers(api, t.adminToken, 'AGENT', size);
  await api.ok('mutation($q: ID!, $u: [ID!]!) { setQueueMembers(queueId: $q, userIds: $u) { id } }', { q: queueId, u: users.map((u) => u.id) }, t.adminToken);
  const accounts: AgentPool['accounts'] = [];
  for (const u of users) {
    const token = await signIn(api, u.email, u.password, t.slug);
    await api.ok('mutation { setMyAgentState(status: AVAILABLE) { status } }', {}, token);
    accounts.push((await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, token)).issueSipCredentials);
  }
  const registered = async () =>
    Number(
      (await api.running.app.orm.em.getConnection().execute<{ n: string }[]>('select count(distinct user_id) as n from sip_registration where tenant_id = ? and expires_at > now()', [t.id]))[0]!.n,
    );
  return {
    did,
    accounts,
    async register(sipPort, phonePort) {
      const csv = join(api.dataDir, 'agents.csv');
      await writeFile(csv, `SEQUENTIAL\n${accounts.map((a) => `${a.username};[authentication username=${a.username} password=${a.password}];${a.domain}`).join('\n')}\n`, { mode: 0o600 });
      await api.running.app.orm.em.getConnection().execute('delete from sip_registration where tenant_id = ?', [t.id]);
      const r = await runSipp([`127.0.0.1:${sipPort}`, '-sf', join(SIPP_SCENARIOS, 'register-many.xml'), '-inf', csv, '-m', String(accounts.length),
        '-r', '100', '-i', '127.0.0.1', '-p', String(phonePort), '-trace_err', '-error_file', join(api.dataDir, 'agents-errors.log'), ...(process.env.BENCH_TRACE ? ['-trace_msg', '-message_file', join(process.env.BENCH_TRACE, 'agents-msg.log')] : [])], 60_000);
      if (r.code !== 0) throw new Error(`agent registrations failed:\n${(await readFile(join(api.dataDir, 'agents-errors.log'), 'utf8').catch(() => r.output)).slice(0, 3000)}`);
      await waitFor('every agent registered with the API', async () => (await registered()) === accounts.length, 20_000);
      // a fresh database has no planner statistics yet (autovacuum would gather them within a minute
      // or so): without them the candidates' query scans every session once per agent
      await api.running.app.orm.em.getConnection().execute('analyze');
    },
  };
}
