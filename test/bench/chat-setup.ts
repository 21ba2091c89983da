/**
 * Setup of chat.bench.ts, through the public API: a tenant with a licence, a queue, an always-open
 * campaign, agents AVAILABLE with a raised written capacity, a widget key; then N chats started by
 * visitors and accepted by the agents, as the agent desktop does (offers arrive on its WebSocket).
 */
import type { Client } from 'graphql-ws';
import { agentEvents, gql, gqlRaw, pool, SITE, sleep, wsClient } from './chat-clients.js';

/** Written interactions an agent may hold at once: the API's maximum. */
export const CAPACITY = 20;

export interface ChatFloor {
  adminToken: string;
  agentTokens: string[];
  widgetKey: string;
}

/** A tenant ready to take `conversations` chats at once. `operatorToken` signs in as the platform operator. */
export async function chatFloor(url: string, operatorToken: string, conversations: number): Promise<ChatFloor> {
  const agents = Math.ceil(conversations / CAPACITY);
  const slug = 'bench-chat';
  const admin = { email: `admin@${slug}.example`, password: 'admin-password-1' };
  const created = await gql(url, 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { tenant { id } } }', {
    i: { name: 'Bench chat', slug, deployment: 'CLOUD', timeZone: 'UTC', administrator: { ...admin, name: 'Admin' } },
  }, { token: operatorToken });
  const tenantId = created.createTenant.tenant.id;
  await gql(url, 'mutation($id: ID!, $t: LicenceTermsInput!) { setTenantLicence(tenantId: $id, terms: $t) { id } }', {
    id: tenantId, t: { kind: 'OMNI', seats: Math.max(5, agents) },
  }, { token: operatorToken });
  const signIn = async (email: string, password: string) =>
    (await gql(url, 'mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', { i: { email, password, tenant: slug } })).signIn.accessToken as string;
  const token = await signIn(admin.email, admin.password);
  const as = { token };
  const queueId = (await gql(url, 'mutation($i: QueueInput!) { createQueue(input: $i) { id } }', { i: { name: 'Chat', strategy: 'LONGEST_IDLE', wrapUpSeconds: 30 } }, as)).createQueue.id;
  const campaignId = (await gql(url, 'mutation($i: CampaignInput!) { createCampaign(input: $i) { id } }', {
    i: { name: 'Website', type: 'OMNI', timeZone: 'UTC', defaultQueueId: queueId },
  }, as)).createCampaign.id;
  const users: { id: string; email: string }[] = [];
  for (let n = 0; n < agents; n++) {
    const email = `agent${n}@${slug}.example`;
    const r = await gql(url, 'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }', {
      i: { email, name: `Agent ${n}`, role: 'AGENT', password: 'agent-password-1' },
    }, as);
    users.push({ id: r.createUser.user.id, email });
  }
  await gql(url, 'mutation($q: ID!, $u: [ID!]!) { setQueueMembers(queueId: $q, userIds: $u) { id } }', { q: queueId, u: users.map((u) => u.id) }, as);
  const agentTokens: string[] = [];
  for (const u of users) {
    await gql(url, 'mutation($u: ID!, $c: Int!) { setAgentWrittenCapacity(userId: $u, capacity: $c) { writtenCapacity } }', { u: u.id, c: CAPACITY }, as);
    const agentToken = await signIn(u.email, 'agent-password-1');
    await gql(url, 'mutation { setMyAgentState(status: AVAILABLE) { status } }', {}, { token: agentToken });
    agentTokens.push(agentToken);
  }
  const widgetKey = (await gql(url, 'mutation($c: ID!, $o: [String!]!) { createWidgetKey(campaignId: $c, allowedOrigins: $o) { key } }', { c: campaignId, o: [SITE] }, as))
    .createWidgetKey.key;
  return { adminToken: token, agentTokens, widgetKey };
}

/**
 * Visitors start `conversations` chats on `visitorUrl`; the agents, subscribed on `agentUrl`, accept
 * each offer as it arrives. Resolves with the visitors' tokens once every chat is ACTIVE.
 */
export async function openChats(visitorUrl: string, agentUrl: string, floor: ChatFloor, conversations: number, log: (m: string) => void): Promise<string[]> {
  const clients: Client[] = [];
  const failures: string[] = [];
  try {
    for (const token of floor.agentTokens) {
      const client = await wsClient(agentUrl, { token });
      clients.push(client);
      const accepting = new Set<string>();
      agentEvents(client, (e) => {
        if (e.kind !== 'OFFERED' || e.interaction.state !== 'OFFERED' || accepting.has(e.interaction.id)) return;
        accepting.add(e.interaction.id);
        gqlRaw(agentUrl, 'mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id: e.interaction.id }, { token })
          .then((r) => r.errors && failures.push(`accept: ${JSON.stringify(r.errors)}`))
          .catch((err) => failures.push(`accept: ${err}`));
      }, (err) => failures.push(`agent subscription: ${JSON.stringify(err)}`));
    }
    await sleep(500); // the subscriptions reach the event bus
    const tokens: string[] = new Array(conversations);
    const begun = performance.now();
    await pool(tokens, 20, async (_, i) => {
      const r = await gql(visitorUrl, 'mutation($k: String!, $i: StartChatInput!) { startChat(widgetKey: $k, input: $i) { token outcome } }', {
        k: floor.widgetKey, i: { name: `Visitor ${i}`, message: `Hello, I am visitor ${i}` },
      }, { origin: SITE });
      if (r.startChat.outcome !== 'QUEUED') throw new Error(`startChat: ${r.startChat.outcome}`);
      tokens[i] = r.startChat.token;
    });
    log(`${conversations} chats started in ${((performance.now() - begun) / 1000).toFixed(1)}s; waiting until every one is ACTIVE`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const counts = await gql(agentUrl, '{ active: interactions(filter: { state: ACTIVE }) { totalCount } queued: interactions(filter: { state: QUEUED }) { totalCount } offered: interactions(filter: { state: OFFERED }) { totalCount } }', {}, { token: floor.adminToken });
      if (counts.active.totalCount === conversations) break;
      if (Date.now() > deadline) {
        throw new Error(`only ${counts.active.totalCount} of ${conversations} chats ACTIVE after 60s (${counts.queued.totalCount} QUEUED, ${counts.offered.totalCount} OFFERED); ${failures.slice(0, 3).join('; ')}`);
      }
      await sleep(250);
    }
    log(`all ${conversations} chats ACTIVE ${((performance.now() - begun) / 1000).toFixed(1)}s after the first startChat${failures.length ? ` (${failures.length} failed accepts, retried by the sweep)` : ''}`);
    return tokens;
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
  }
}
