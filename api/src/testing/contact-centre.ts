import type { TestApi } from './harness.js';
import { createTenant, createUsers, signIn, type TenantFixture } from './fixtures.js';

export interface Floor {
  t: TenantFixture;
  queueId: string;
  campaignId: string;
  dispositionId: string;
  agents: { id: string; token: string; email: string; password: string }[];
}

export interface FloorOptions {
  agents?: number;
  kind?: 'OMNI' | 'VOICE';
  strategy?: string;
  campaign?: Record<string, unknown>;
  queue?: Record<string, unknown>;
  /** Sign the agents in and make them AVAILABLE (default true). */
  available?: boolean;
}

/** A tenant with a queue, an always-open OMNI campaign and agents, through the API. */
export async function floor(api: TestApi, options: FloorOptions = {}): Promise<Floor> {
  const t = await createTenant(api, { seats: 5, kind: options.kind ?? 'OMNI' });
  const queueId = (
    await api.ok('mutation($i: QueueInput!) { createQueue(input: $i) { id } }', {
      i: { name: 'Q', strategy: options.strategy ?? 'LONGEST_IDLE', wrapUpSeconds: 30, ...options.queue },
    }, t.adminToken)
  ).createQueue.id;
  const campaignId = (
    await api.ok('mutation($i: CampaignInput!) { createCampaign(input: $i) { id } }', {
      i: { name: 'C', type: 'OMNI', timeZone: 'America/Montreal', defaultQueueId: queueId, ...options.campaign },
    }, t.adminToken)
  ).createCampaign.id;
  const dispositionId = (
    await api.ok('mutation($c: ID!) { createDisposition(campaignId: $c, input: { code: "DONE", label: "Done" }) { id } }', { c: campaignId }, t.adminToken)
  ).createDisposition.id;
  const users = await createUsers(api, t.adminToken, 'AGENT', options.agents ?? 2);
  await api.ok('mutation($q: ID!, $u: [ID!]!) { setQueueMembers(queueId: $q, userIds: $u) { id } }', { q: queueId, u: users.map((u) => u.id) }, t.adminToken);
  const agents = [];
  for (const u of users) {
    let token = '';
    if (options.available !== false) {
      token = await signIn(api, u.email, u.password, t.slug);
      await api.ok('mutation { setMyAgentState(status: AVAILABLE) { status } }', {}, token);
    }
    agents.push({ id: u.id, token, email: u.email, password: u.password });
  }
  return { t, queueId, campaignId, dispositionId, agents };
}
