import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { codeOf, startTestApi, type GqlResult, type TestApi, wsReady } from '../../testing/harness.js';
import { floor, type Floor } from '../../testing/contact-centre.js';

const SITE = 'https://shop.example';

describe('webchat', () => {
  let api: TestApi;
  let f: Floor;
  let key: string;
  before(async () => {
    api = await startTestApi();
    f = await floor(api, { agents: 1 });
    key = (await api.ok('mutation($c: ID!, $o: [String!]!) { createWidgetKey(campaignId: $c, allowedOrigins: $o) { key } }', {
      c: f.campaignId, o: [SITE, 'http://localhost:8080'],
    }, f.t.adminToken)).createWidgetKey.key;
  });
  after(() => api.stop());

  /** What the widget sends: no credentials, the page's Origin. */
  const visitor = async <T = any>(query: string, variables: Record<string, unknown>, origin = SITE): Promise<GqlResult<T>> => {
    const r = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ query, variables }) });
    return (await r.json()) as GqlResult<T>;
  };
  const START = 'mutation($k: String!, $i: StartChatInput!) { startChat(widgetKey: $k, input: $i) { token outcome conversation { state messages { sender body } } } }';

  function visitorEvents(token: string, afterMessageId?: string) {
    const seen: { kind: string; body: string | null; typing: boolean | null; state: string | null; agentName: string | null; id: string | null }[] = [];
    const client = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols: string[]) {
          super(url, protocols, { headers: { origin: SITE } });
        }
      },
      retryAttempts: 0,
    });
    const done = new Promise<void>((resolve, reject) =>
      client.subscribe<{ visitorEvents: { kind: string; message: { id: string; body: string } | null; agentTyping: boolean | null; state: string | null; agentName: string | null } }>(
        { query: 'subscription($t: String!, $a: ID) { visitorEvents(token: $t, afterMessageId: $a) { kind message { id body } agentTyping state agentName } }', variables: { t: token, a: afterMessageId ?? null } },
        {
          next: (m) => {
            if (m.errors) return reject(new Error(JSON.stringify(m.errors)));
            const e = m.data!.visitorEvents;
            seen.push({ kind: e.kind, body: e.message?.body ?? null, typing: e.agentTyping, state: e.state, agentName: e.agentName, id: e.message?.id ?? null });
          },
          error: reject,
          complete: resolve,
        },
      ),
    );
    return { seen, done, close: () => client.dispose() };
  }
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(check(), 'timed out waiting for live events');
  };

  it('carries a conversation between a website visitor and an agent, live both ways, across a reload', async () => {
    const started = (await visitor(START, { k: key, i: { name: 'Ana', message: 'Do you ship to Québec?' } })).data!.startChat;
    assert.equal(started.outcome, 'QUEUED');
    assert.deepEqual(started.conversation.messages, [{ sender: 'CUSTOMER', body: 'Do you ship to Québec?' }]);
    const live = visitorEvents(started.token);
    await until(() => live.seen.length >= 1);

    const [agent] = f.agents;
    const mine = await api.ok('{ interactions(filter: { state: OFFERED }) { edges { node { id contact { name } } } } }', {}, agent.token);
    const id = mine.interactions.edges[0].node.id;
    assert.equal(mine.interactions.edges[0].node.contact.name, 'Ana');
    await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, agent.token);
    await api.ok('mutation($id: ID!) { setTyping(interactionId: $id, typing: true) }', { id }, agent.token);
    await api.ok('mutation($id: ID!) { sendMessage(interactionId: $id, body: "Yes, everywhere in Canada.") { id } }', { id }, agent.token);
    await until(() => live.seen.some((e) => e.body === 'Yes, everywhere in Canada.'));
    assert.deepEqual(live.seen.map((e) => e.kind), ['MESSAGE', 'STATE', 'TYPING', 'MESSAGE']);
    assert.equal(live.seen[1].state, 'ACTIVE');
    assert.ok(live.seen[1].agentName);
    assert.equal(live.seen[2].typing, true);

    // the page reloads while the visitor answers: the conversation is all there, and events resume after the last id seen
    await live.close();
    const reply = await visitor('mutation($t: String!) { sendVisitorMessage(token: $t, body: "<b>Great</b>, thanks!") { id body } }', { t: started.token });
    assert.equal(reply.data!.sendVisitorMessage.body, '<b>Great</b>, thanks!', 'kept as plain text; the widget renders it as text');
    const reloaded = await visitor('query($t: String!) { visitorConversation(token: $t) { state agentName messages { sender body } } }', { t: started.token });
    assert.deepEqual(reloaded.data!.visitorConversation.messages.map((m: { sender: string }) => m.sender), ['CUSTOMER', 'AGENT', 'CUSTOMER']);
    const lastSeen = live.seen.filter((e) => e.kind === 'MESSAGE').at(-1)!.id!;
    const resumed = visitorEvents(started.token, lastSeen);
    await until(() => resumed.seen.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(resumed.seen.map((e) => e.body), ['<b>Great</b>, thanks!'], 'only what was missed, once');

    // the visitor leaves: the agent records the outcome
    assert.equal((await visitor('mutation($t: String!) { leaveChat(token: $t) }', { t: started.token })).data!.leaveChat, 'WRAP_UP');
    await api.ok('mutation($id: ID!, $d: ID) { closeInteraction(id: $id, dispositionId: $d) { state } }', { id, d: f.dispositionId }, agent.token);
    await resumed.close();
  });

  it('tells the widget before a chat whether it is open, and which out-of-hours form to show', async () => {
    const WIDGET = 'query($k: String!) { chatWidget(widgetKey: $k) { open outOfHoursAction outOfHoursMessage } }';
    assert.deepEqual((await visitor(WIDGET, { k: key })).data!.chatWidget, { open: true, outOfHoursAction: 'MESSAGE', outOfHoursMessage: null });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Montreal' }).format(new Date());
    const hours = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, opens: '00:00', closes: '23:59' }));
    const closed = await floor(api, { agents: 0, campaign: { openingHours: hours, holidays: [{ date: today, name: 'Closed today' }], outOfHoursAction: 'LEAVE_MESSAGE', outOfHoursMessage: 'Back tomorrow' } });
    const closedKey = (await api.ok('mutation($c: ID!) { createWidgetKey(campaignId: $c, allowedOrigins: ["https://shop.example"]) { key } }', { c: closed.campaignId }, closed.t.adminToken)).createWidgetKey.key;
    assert.deepEqual((await visitor(WIDGET, { k: closedKey })).data!.chatWidget, { open: false, outOfHoursAction: 'LEAVE_MESSAGE', outOfHoursMessage: 'Back tomorrow' });
    assert.equal(codeOf(await visitor(WIDGET, { k: closedKey }, 'https://other.example')), 'ORIGIN_NOT_ALLOWED');
    assert.equal(codeOf(await visitor(WIDGET, { k: 'wk_unknown' })), 'NOT_FOUND');
  });

  it('refuses unknown keys, other websites, oversized messages and floods', async () => {
    assert.equal(codeOf(await visitor(START, { k: 'wk_unknown', i: { message: 'hi' } })), 'NOT_FOUND');
    assert.equal(codeOf(await visitor(START, { k: key, i: { message: 'hi' } }, 'https://evil.example')), 'ORIGIN_NOT_ALLOWED');
    const started = (await visitor(START, { k: key, i: { message: 'hello' } })).data!.startChat;
    assert.equal(codeOf(await visitor('query($t: String!) { visitorConversation(token: $t) { state } }', { t: started.token }, 'https://evil.example')), 'ORIGIN_NOT_ALLOWED');
    const SEND = 'mutation($t: String!, $b: String!) { sendVisitorMessage(token: $t, body: $b) { id } }';
    assert.equal(codeOf(await visitor(SEND, { t: started.token, b: 'x'.repeat(2001) })), 'BAD_USER_INPUT');
    const codes = [];
    for (let n = 0; n < 12; n++) codes.push(codeOf(await visitor(SEND, { t: started.token, b: `message ${n}` })) ?? 'OK');
    assert.deepEqual(codes, [...Array(10).fill('OK'), 'RATE_LIMITED', 'RATE_LIMITED']);
    assert.equal(codeOf(await visitor(SEND, { t: 'vs_not-a-token', b: 'hi' })), 'NOT_FOUND');
    assert.equal((await visitor('mutation($t: String!) { leaveChat(token: $t) }', { t: started.token })).data!.leaveChat, 'ABANDONED', 'nobody had answered');
    assert.equal(codeOf(await visitor(SEND, { t: started.token, b: 'still there?' })), 'CONFLICT');
    const bad = await api.gql('mutation($c: ID!) { createWidgetKey(campaignId: $c, allowedOrigins: ["shop.example/path"]) { key } }', { c: f.campaignId }, f.t.adminToken);
    assert.equal(codeOf(bad), 'BAD_USER_INPUT');
  });

  it('lets an agent resume its events after a reconnect without losing or doubling messages', async () => {
    const [agent] = f.agents;
    await api.ok('mutation { setMyAgentState(status: AVAILABLE) { status } }', {}, agent.token); // ends the last wrap-up early
    const started = (await visitor(START, { k: key, i: { message: 'First question' } })).data!.startChat;
    const offered = await api.ok('{ interactions(filter: { state: OFFERED }) { edges { node { id messages { edges { node { id } } } } } } }', {}, agent.token);
    const id = offered.interactions.edges[0].node.id;
    const lastSeen = offered.interactions.edges[0].node.messages.edges.at(-1).node.id;
    await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, agent.token);
    // the agent's connection drops; the visitor goes on writing
    const SEND = 'mutation($t: String!, $b: String!) { sendVisitorMessage(token: $t, body: $b) { id } }';
    await visitor(SEND, { t: started.token, b: 'Second' });
    await visitor(SEND, { t: started.token, b: 'Third' });
    const bodies: string[] = [];
    const client = api.ws(agent.token);
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ interactionEvents: { kind: string; message: { body: string } | null } }>(
        { query: 'subscription($a: ID, $i: [ID!]) { interactionEvents(afterMessageId: $a, interactionIds: $i) { kind message { body } } }', variables: { a: lastSeen, i: [id] } },
        { next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : bodies.push(m.data!.interactionEvents.message?.body ?? m.data!.interactionEvents.kind)), error: reject, complete: () => {} },
      );
      void wsReady(client).then(resolve);
    });
    await visitor(SEND, { t: started.token, b: 'Fourth' });
    await until(() => bodies.length >= 3);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(bodies, ['Second', 'Third', 'Fourth']);
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id }, agent.token);
  });
});
