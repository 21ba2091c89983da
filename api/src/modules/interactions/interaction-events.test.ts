/**
 * What one interaction event costs: the message travels in the event, and the interaction is read
 * once per event, however many subscriptions it reaches.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../../testing/harness.js';
import { floor } from '../../testing/contact-centre.js';
import { receive } from '../routing/index.js';
import { Channel } from './interaction.entity.js';

const LISTEN = 'subscription($i: [ID!], $a: ID) { interactionEvents(interactionIds: $i, afterMessageId: $a) { kind interaction { id state } message { id body sender } } }';

describe('interaction events', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ config: { wsRevalidateSeconds: 3600 } });
  });
  after(() => api.stop());

  it('reach many subscribers for the SQL of one', async () => {
    const f = await floor(api, { agents: 1 });
    const chat = await receive(api.running.app, f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'cost-visitor', firstMessage: 'hello' });
    assert.notEqual(chat.outcome, 'CLOSED');
    const id = chat.outcome === 'CLOSED' ? '' : chat.interaction.id;
    const agent = f.agents[0].token;
    await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, agent);
    const first = (await api.ok('query($id: ID!) { interaction(id: $id) { messages { edges { node { id } } } } }', { id }, agent)).interaction.messages.edges[0].node.id;

    const received: { body: string; sender: string; state: string }[][] = [];
    const subscribe = () => {
      const seen: { body: string; sender: string; state: string }[] = [];
      received.push(seen);
      api.ws(f.t.adminToken).subscribe<{ interactionEvents: { interaction: { state: string }; message: { body: string; sender: string } | null } }>(
        { query: LISTEN, variables: { i: [id], a: first } },
        {
          next: (m) => {
            const e = m.data?.interactionEvents;
            if (e?.message) seen.push({ body: e.message.body, sender: e.message.sender, state: e.interaction.state });
          },
          error: () => {},
          complete: () => {},
        },
      );
    };
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 250 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(check(), 'timed out');
    };
    // SQL of one message that reaches `subscribers` subscriptions
    const cost = async (body: string) => {
      await until(() => received.every((seen) => seen.length === received[0].length));
      api.queries.reset();
      await api.ok('mutation($id: ID!, $b: String!) { sendMessage(interactionId: $id, body: $b) { id } }', { id, b: body }, agent);
      await until(() => received.every((seen) => seen.some((m) => m.body === body)));
      await new Promise((r) => setTimeout(r, 100)); // anything late would be counted too
      return api.queries.count;
    };

    subscribe();
    await api.ok('mutation($id: ID!, $b: String!) { sendMessage(interactionId: $id, body: $b) { id } }', { id, b: 'warm-up' }, agent);
    await until(() => received[0].some((m) => m.body === 'warm-up'));
    const one = await cost('to one');
    subscribe();
    subscribe();
    subscribe();
    await until(() => received.every((seen) => seen.some((m) => m.body === 'warm-up')));
    const four = await cost('to four');
    assert.equal(four, one, `one message to four subscriptions took ${four} statements, to one ${one}`);
    for (const seen of received) {
      assert.deepEqual(seen.find((m) => m.body === 'to four'), { body: 'to four', sender: 'AGENT', state: 'ACTIVE' });
    }
  });
});
