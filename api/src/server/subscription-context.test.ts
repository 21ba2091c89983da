/**
 * A subscription lives as long as its socket; what an event shows must be read for that event,
 * not remembered from an earlier one (issue 21: a contact renamed mid-shift kept its old name).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, wsReady, type TestApi } from '../testing/harness.js';
import { floor } from '../testing/contact-centre.js';
import { receive } from '../modules/routing/index.js';
import { Channel } from '../modules/interactions/interaction.entity.js';

let api: TestApi;
before(async () => {
  api = await startTestApi({ config: { wsRevalidateSeconds: 3600 } });
});
after(() => api.stop());

test('an event shows the contact as it is now, not as an earlier event saw it', async () => {
  const f = await floor(api, { agents: 1 });
  const chat = await receive(api.running.app, f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'fresh-visitor', firstMessage: 'hello' });
  assert.notEqual(chat.outcome, 'CLOSED');
  const id = chat.outcome === 'CLOSED' ? '' : chat.interaction.id;
  const agent = f.agents[0].token;
  await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, agent);
  const contactId = (await api.ok('query($id: ID!) { interaction(id: $id) { contact { id } } }', { id }, agent)).interaction.contact.id;
  await api.ok('mutation($id: ID!) { renameContact(id: $id, name: "Ana Before") { id } }', { id: contactId }, f.t.adminToken);

  const seen = new Map<string, string | null>();
  const client = api.ws(f.t.adminToken);
  client.subscribe<{ interactionEvents: { message: { body: string } | null; interaction: { contact: { name: string | null } | null } } }>(
    { query: 'subscription($i: [ID!]) { interactionEvents(interactionIds: $i) { message { body } interaction { contact { name } } } }', variables: { i: [id] } },
    {
      next: (m) => {
        const e = m.data?.interactionEvents;
        if (e?.message) seen.set(e.message.body, e.interaction.contact?.name ?? null);
      },
      error: () => {},
      complete: () => {},
    },
  );
  await wsReady(client);
  const send = async (body: string) => {
    await api.ok('mutation($id: ID!, $b: String!) { sendMessage(interactionId: $id, body: $b) { id } }', { id, b: body }, agent);
    for (let i = 0; i < 500 && !seen.has(body); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(seen.has(body), `the event for "${body}" did not arrive within 10 s`);
    return seen.get(body);
  };
  assert.equal(await send('first'), 'Ana Before');
  await api.ok('mutation($id: ID!) { renameContact(id: $id, name: "Ana After") { id } }', { id: contactId }, f.t.adminToken);
  assert.equal(await send('second'), 'Ana After');
});
