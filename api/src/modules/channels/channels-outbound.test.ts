/**
 * Agents' replies on SMS and Telegram leave through their adapters as send jobs (local peers check
 * path, auth and parameters); delivery states arrive live through interactionEvents, and a
 * provider's refusal is shown with its reason.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { floor, type Floor } from '../../testing/contact-centre.js';
import { wsReady, type TestApi } from '../../testing/harness.js';
import { AUTH_TOKEN, BOT_TOKEN, SID, channelRig, smsAccount, telegramAccount, until, type ChannelRig } from '../../testing/channels-kit.js';

const EVENTS = 'subscription($i: [ID!]) { interactionEvents(interactionIds: $i) { kind message { id deliveryState deliveryError } } }';
const SEND = 'mutation($id: ID!, $b: String!) { sendMessage(interactionId: $id, body: $b) { id deliveryState } }';
type Seen = { kind: string; message: { id: string; deliveryState: string; deliveryError: string | null } | null };

/** The only interaction of the tenant, accepted by its agent, with the agent's live events. */
async function accepted(api: TestApi, f: Floor) {
  const agent = f.agents[0]!.token;
  const id = await until('the conversation offered', async () => {
    const r = await api.ok('{ interactions(filter: { state: OFFERED }) { edges { node { id } } } }', {}, f.t.adminToken);
    return r.interactions.edges[0]?.node.id as string | undefined;
  });
  await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, agent);
  const seen: Seen[] = [];
  const client = api.ws(agent);
  client.subscribe<{ interactionEvents: Seen }>({ query: EVENTS, variables: { i: [id] } }, { next: (m) => void (m.data && seen.push(m.data.interactionEvents)), error: () => {}, complete: () => {} });
  await wsReady(client);
  const delivery = (messageId: string, state: string) =>
    until(`DELIVERY ${state} live`, () => seen.find((e) => e.kind === 'DELIVERY' && e.message?.id === messageId && e.message.deliveryState === state));
  return { id, agent, seen, delivery };
}

describe('channels: outbound', () => {
  let rig: ChannelRig;
  before(async () => {
    rig = await channelRig();
  });
  after(() => rig.stop());

  it('sends an SMS reply through Twilio; status callbacks move it to DELIVERED live, never back', async () => {
    const { api, twilio } = rig;
    const f = await floor(api, { agents: 1 });
    const a = await smsAccount(api, f.t.adminToken, f.campaignId);
    await twilio.post(a.webhook, { MessageSid: 'SM10000000000000000000000000000001', AccountSid: SID, From: '+15145550150', To: '+15145550000', Body: 'Hi there' }, AUTH_TOKEN);
    const c = await accepted(api, f);
    const sent = (await api.ok(SEND, { id: c.id, b: 'Hello from the agent' }, c.agent)).sendMessage;
    assert.equal(sent.deliveryState, 'QUEUED');
    await c.delivery(sent.id, 'SENT');
    assert.equal(twilio.sent.length, 1);
    const out = twilio.sent[0]!;
    assert.deepEqual({ to: out.to, from: out.from, body: out.body, statusCallback: out.statusCallback }, { to: '+15145550150', from: '+15145550000', body: 'Hello from the agent', statusCallback: a.status });
    assert.deepEqual(twilio.refused, []);

    const callback = (status: string) => twilio.post(out.statusCallback!, { MessageSid: out.sid, AccountSid: SID, MessageStatus: status, To: out.to, From: out.from }, AUTH_TOKEN);
    assert.equal((await callback('delivered')).status, 200);
    await c.delivery(sent.id, 'DELIVERED');
    // a late "sent" (providers do not keep order) changes nothing
    assert.equal((await callback('sent')).status, 200);
    assert.equal((await callback('delivered')).status, 200);
    const stored = await api.ok('query($id: ID!) { interaction(id: $id) { messages { edges { node { id deliveryState } } } } }', { id: c.id }, c.agent);
    assert.equal(stored.interaction.messages.edges.find((e: { node: { id: string } }) => e.node.id === sent.id).node.deliveryState, 'DELIVERED');
    assert.equal(c.seen.filter((e) => e.kind === 'DELIVERY').length, 2, 'SENT then DELIVERED, nothing more');
  });

  it('a send the provider refuses is FAILED with its reason; one it fails to take is retried', async () => {
    const { api, twilio } = rig;
    const f = await floor(api, { agents: 1 });
    const a = await smsAccount(api, f.t.adminToken, f.campaignId);
    await twilio.post(a.webhook, { MessageSid: 'SM20000000000000000000000000000001', AccountSid: SID, From: '+15145550160', To: '+15145550000', Body: 'Hi' }, AUTH_TOKEN);
    const c = await accepted(api, f);
    twilio.failNext({ status: 400, code: 21211, message: "The 'To' number +15145550160 is not a valid phone number." });
    const failed = (await api.ok(SEND, { id: c.id, b: 'Will not arrive' }, c.agent)).sendMessage;
    const event = await c.delivery(failed.id, 'FAILED');
    assert.match(event.message!.deliveryError!, /21211/);
    assert.match(event.message!.deliveryError!, /not a valid phone number/);
    const stored = await api.ok('query($id: ID!) { interaction(id: $id) { messages { edges { node { id deliveryState deliveryError } } } } }', { id: c.id }, c.agent);
    assert.match(stored.interaction.messages.edges.find((e: { node: { id: string } }) => e.node.id === failed.id).node.deliveryError, /21211/);

    const before = twilio.sent.length;
    twilio.failNext({ status: 503, code: 20500, message: 'Service unavailable' });
    const retried = (await api.ok(SEND, { id: c.id, b: 'Second try works' }, c.agent)).sendMessage;
    await until('the retried send', () => twilio.sent.length > before, 30_000);
    await c.delivery(retried.id, 'SENT');
    assert.equal(twilio.sent.filter((s) => s.body === 'Second try works').length, 1, 'sent once');
  });

  it('sends a Telegram reply with sendMessage to the user, and shows a blocked bot as FAILED', async () => {
    const { api, telegram } = rig;
    const f = await floor(api, { agents: 1 });
    const t = await telegramAccount(api, f.t.adminToken, f.campaignId);
    const update = { update_id: 5, message: { message_id: 1, from: { id: 55501, is_bot: false, first_name: 'Grace' }, chat: { id: 55501, type: 'private' }, date: 1700000000, text: 'Help?' } };
    await telegram.post(t.webhook, update, t.secret);
    const c = await accepted(api, f);
    const reply = (await api.ok(SEND, { id: c.id, b: 'Here to help' }, c.agent)).sendMessage;
    await c.delivery(reply.id, 'SENT');
    assert.deepEqual(telegram.sent.map((s) => ({ botToken: s.botToken, chatId: s.chatId, text: s.text })), [{ botToken: BOT_TOKEN, chatId: '55501', text: 'Here to help' }]);
    assert.deepEqual(telegram.refused, []);

    telegram.failNext({ status: 403, description: 'Forbidden: bot was blocked by the user' });
    const blocked = (await api.ok(SEND, { id: c.id, b: 'Anyone?' }, c.agent)).sendMessage;
    const event = await c.delivery(blocked.id, 'FAILED');
    assert.equal(event.message!.deliveryError, 'Telegram 403: Forbidden: bot was blocked by the user');
  });
});
