/**
 * The SDK's contact-centre helpers against a real API (fresh PostgreSQL, port 0): a CRM's view of
 * a contact (interactions page by page, notes), live interaction and visitor events that resume
 * after the connection is cut for real (a TCP relay in front of the API), and typed errors.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { startTestApi, type TestApi } from '../../api/src/testing/harness.js';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { receive } from '../../api/src/modules/routing/index.js';
import { Channel } from '../../api/src/modules/interactions/index.js';
import { ErrorCode } from '../../api/src/platform/errors.js';
import {
  API_ERROR_CODES,
  CreateApiKeyDocument,
  CreateWidgetKeyDocument,
  StartChatDocument,
  SwitchboardError,
  createClient,
  type ClientOptions,
  type SwitchboardClient,
} from './index.js';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.js';

const SITE = 'https://crm-test.example';

const withCode = (code: string) => (err: unknown) => {
  assert.ok(err instanceof SwitchboardError, `expected a SwitchboardError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  return true;
};

/** A `ws` WebSocket that sends the page's Origin (as a browser would) and records what the client sends. */
function recordingWebSocket(sent: string[]) {
  return class extends WebSocket {
    constructor(url: string, protocols: string | string[]) {
      super(url, protocols, { headers: { origin: SITE } });
    }
    override send(data: unknown, ...rest: unknown[]) {
      sent.push(String(data));
      return (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  };
}

/** Reads events until `count` of them pass `keep`; fails after 10 s. */
async function take<T>(events: AsyncIterableIterator<T>, count: number, keep: (event: T) => boolean): Promise<T[]> {
  const out: T[] = [];
  const deadline = setTimeout(() => events.return?.(), 10_000);
  try {
    while (out.length < count) {
      const step = await events.next();
      assert.equal(step.done, false, `the subscription ended after ${out.length} of ${count} events`);
      if (!step.done && keep(step.value)) out.push(step.value);
    }
  } finally {
    clearTimeout(deadline);
  }
  return out;
}

describe('@switchboard/sdk contact-centre helpers against a real API', () => {
  let api: TestApi;
  let graphqlUrl: string;
  let f: Floor;
  const clients: SwitchboardClient[] = [];
  const client = (options: Partial<ClientOptions> = {}) => {
    const c = createClient({ url: graphqlUrl, ...options });
    clients.push(c);
    return c;
  };

  before(async () => {
    api = await startTestApi();
    graphqlUrl = `${api.url}/graphql`;
    f = await floor(api, { agents: 1 });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await api.stop();
  });

  it("finds a contact, pages through its interactions and adds a note with an API key", async () => {
    const admin = client({ getToken: () => f.t.adminToken });
    const { createApiKey } = await admin.request(CreateApiKeyDocument, {
      input: { name: 'crm-sync', scopes: ['CONTACTS_READ', 'CONTACTS_MANAGE', 'INTERACTIONS_READ'] },
    });
    for (let i = 0; i < 7; i++) {
      await receive(api.running.app, f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'crm-visitor-1', firstMessage: `visit ${i}` });
    }
    let posts = 0;
    const crm = client({ apiKey: createApiKey.secret, fetch: (input, init) => (posts++, fetch(input, init)) });

    const contact = await crm.contactByIdentifier('WEBCHAT', 'crm-visitor-1');
    assert.ok(contact, 'the visitor became a contact');
    assert.deepEqual(contact.identifiers.map((i) => [i.kind, i.value]), [['WEBCHAT', 'crm-visitor-1']]);

    posts = 0;
    const interactions = [];
    for await (const interaction of crm.contactInteractions(contact.id, 3)) interactions.push(interaction);
    assert.equal(posts, 3, 'pages of 3, 3 and 1');
    assert.equal(interactions.length, 7);
    assert.equal(new Set(interactions.map((i) => i.id)).size, 7);
    assert.ok(interactions.every((i) => i.channel === 'WEBCHAT' && i.contact?.id === contact.id && i.campaign?.id === f.campaignId));

    const messages = [];
    for await (const m of crm.interactionMessages(interactions[0].id)) messages.push(m);
    assert.equal(messages.length, 1);
    assert.equal(messages[0].sender, 'CUSTOMER');
    assert.match(messages[0].body, /^visit \d$/);

    const note = await crm.addContactNote(contact.id, 'Called about invoice 42; prefers e-mail.');
    assert.deepEqual({ body: note.body, author: note.author, apiKeyName: note.apiKeyName }, {
      body: 'Called about invoice 42; prefers e-mail.', author: null, apiKeyName: 'crm-sync',
    });
    await admin.addContactNote(contact.id, 'Second note, by the administrator');
    const notes = [];
    for await (const n of crm.contactNotes(contact.id, 1)) notes.push(n);
    assert.deepEqual(notes.map((n) => n.author?.id ?? n.apiKeyName), ['crm-sync', f.t.adminId]);

    const found = await crm.contacts({ search: 'crm-visitor-1' });
    assert.deepEqual(found.edges.map((e) => e.node.id), [contact.id]);
    const all = [];
    for await (const i of crm.allInteractions({ contactId: contact.id }, 4)) all.push(i.id);
    assert.deepEqual(all.sort(), interactions.map((i) => i.id).sort());
  });

  it('follows interaction and visitor events across a cut connection, each message once and in order', async () => {
    const proxy: TcpProxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(api.url).port) });
    try {
      const f = await floor(api, { agents: 1 }); // its own tenant: the only chat its agent is offered
      const admin = client({ getToken: () => f.t.adminToken });
      const widget = (await admin.request(CreateWidgetKeyDocument, { campaignId: f.campaignId, allowedOrigins: [SITE] })).createWidgetKey;
      const visitorSent: string[] = [];
      const supervisorSent: string[] = [];
      const relay = { reconnectAttempts: 100, baseDelayMs: 20, maxDelayMs: 100 };
      const visitor = client({
        url: `${proxy.url}/graphql`,
        headers: { origin: SITE },
        webSocketImpl: recordingWebSocket(visitorSent),
        retry: relay,
      });
      const chat = (await visitor.request(StartChatDocument, { widgetKey: widget.key, input: { name: 'Resume', message: 'hello' } })).startChat;
      const firstMessage = chat.conversation.messages.at(-1)!.id;

      const agent = client({ getToken: () => f.agents[0].token });
      const offered = await agent.interactions({ state: 'OFFERED' });
      assert.equal(offered.totalCount, 1);
      const interactionId = offered.edges[0].node.id;
      assert.equal((await agent.acceptInteraction(interactionId)).state, 'ACTIVE');

      const supervisor = client({ url: `${proxy.url}/graphql`, getToken: () => f.t.adminToken, webSocketImpl: recordingWebSocket(supervisorSent), retry: relay });
      const live = supervisor.interactionEvents({ interactionIds: [interactionId], afterMessageId: firstMessage });
      const visitorLive = visitor.visitorEvents(chat.token, firstMessage);
      const isAgentMessage = (body: string | undefined) => !!body?.startsWith('m');

      const sentIds: string[] = [];
      const say = async (n: number) => sentIds.push((await agent.sendMessage(interactionId, `m${n}`)).id);
      for (const n of [1, 2, 3]) await say(n);
      const before = await take(live, 3, (e) => e.kind === 'MESSAGE' && isAgentMessage(e.message?.body));
      const visitorBefore = await take(visitorLive, 3, (e) => e.kind === 'MESSAGE' && isAgentMessage(e.message?.body));
      const connectionsBefore = proxy.connections;

      // The network fails: every connection is cut and reconnects are refused while the agent writes.
      proxy.refuse = true;
      proxy.cut();
      for (const n of [4, 5, 6]) await say(n);
      await new Promise((resolve) => setTimeout(resolve, 200));
      proxy.refuse = false;
      await say(7);

      const afterCut = await take(live, 4, (e) => e.kind === 'MESSAGE' && isAgentMessage(e.message?.body));
      const visitorAfter = await take(visitorLive, 4, (e) => e.kind === 'MESSAGE' && isAgentMessage(e.message?.body));
      assert.ok(proxy.connections > connectionsBefore, 'the sockets reconnected through the relay');

      const bodies = [...before, ...afterCut].map((e) => e.message!.body);
      assert.deepEqual(bodies, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'], 'every message once, in order');
      assert.deepEqual([...before, ...afterCut].map((e) => e.message!.id), sentIds);
      assert.deepEqual([...visitorBefore, ...visitorAfter].map((e) => e.message!.body), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);

      // The resubscription asked for what came after the last message delivered before the cut.
      const resubscribed = (sent: string[]) =>
        sent.map((s) => JSON.parse(s)).filter((m) => m.type === 'subscribe').map((m) => m.payload.variables.afterMessageId);
      assert.deepEqual(resubscribed(supervisorSent).slice(0, 1), [firstMessage]);
      assert.ok(resubscribed(supervisorSent).includes(sentIds[2]), `resubscribed after m3: ${resubscribed(supervisorSent).join(', ')}`);
      assert.ok(resubscribed(visitorSent).includes(sentIds[2]));

      // Nothing more is waiting: no duplicate arrives after m7.
      await say(8);
      const [next] = await take(live, 1, (e) => e.kind === 'MESSAGE');
      assert.equal(next.message!.body, 'm8');
      await live.return!();
      await visitorLive.return!();
    } finally {
      await proxy.close();
    }
  });

  it('throws typed errors carrying the API code and its details', async () => {
    const admin = client({ getToken: () => f.t.adminToken });
    const contact = await admin.createContact({ name: 'Errors', identifiers: [{ kind: 'EMAIL', value: 'errors@example.com' }] });
    await assert.rejects(admin.addContactNote(contact.id, '   '), (err) => {
      withCode('BAD_USER_INPUT')(err);
      assert.equal((err as SwitchboardError).extensions.field, 'body');
      assert.deepEqual((err as SwitchboardError).path, ['addContactNote']);
      return true;
    });
    await assert.rejects(admin.addContactNote(randomUUID(), 'lost'), withCode('NOT_FOUND'));
    await assert.rejects(admin.createContact({ identifiers: [{ kind: 'EMAIL', value: 'ERRORS@example.com' }] }), (err) => {
      withCode('CONFLICT')(err);
      assert.equal((err as SwitchboardError).extensions.contactId, contact.id);
      return true;
    });
    const agent = client({ getToken: () => f.agents[0].token });
    await assert.rejects(agent.queueStats(), withCode('FORBIDDEN'));
    await assert.rejects(agent.acceptInteraction(randomUUID()), withCode('NOT_FOUND'));
  });

  it("knows every code of the API's error catalogue", () => {
    const sdk = new Set<string>(API_ERROR_CODES);
    for (const code of Object.values(ErrorCode)) assert.ok(sdk.has(code), `add ${code} to API_ERROR_CODES in sdk/src/errors.ts`);
  });
});
