import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../platform/clock.js';
import { codeOf, startTestApi, type TestApi, wsReady } from '../../testing/harness.js';
import { floor } from '../../testing/contact-centre.js';
import { registerPhone } from '../../testing/kamailio-peer.js';
import { Channel } from '../interactions/index.js';
import { receive } from './receive.js';
import { sweep } from './sweep.js';
import { INTERACTION_EVENT } from '../interactions/interaction.events.js';
import { until } from '../../testing/smtp-peer.js';

const INTERACTION = 'query($id: ID!) { interaction(id: $id) { state agent { id } offeredAt answeredAt endedAt disposition { code } notes contact { id } } }';

describe('routing', () => {
  let api: TestApi;
  const clock = new ManualClock('2026-11-23T15:00:00Z'); // a Monday, 10:00 in Montreal
  before(async () => {
    api = await startTestApi({ clock, config: { offerTimeoutSeconds: 20 } });
  });
  after(() => api.stop());
  const app = () => api.running.app;

  it('offers a chat to an available agent, who answers, writes, closes with a disposition and wraps up', async () => {
    const f = await floor(api, { agents: 1 });
    const r = await receive(app(), f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'visitor-1', firstMessage: 'Hello?' });
    assert.equal(r.outcome, 'QUEUED');
    const id = r.outcome === 'QUEUED' ? r.interaction.id : '';
    const offered = (await api.ok(INTERACTION, { id }, f.t.adminToken)).interaction;
    assert.equal(offered.state, 'OFFERED');
    assert.equal(offered.agent.id, f.agents[0].id);

    const [agent] = f.agents;
    assert.equal((await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, agent.token)).acceptInteraction.state, 'ACTIVE');
    assert.equal((await api.ok('{ myAgentState { status } }', {}, agent.token)).myAgentState.status, 'BUSY');
    await api.ok('mutation($id: ID!) { sendMessage(interactionId: $id, body: "Hi! How can I help?") { id } }', { id }, agent.token);
    const msgs = await api.ok('query($id: ID!) { interaction(id: $id) { messages { edges { node { sender body } } } } }', { id }, agent.token);
    assert.deepEqual(msgs.interaction.messages.edges.map((e: { node: unknown }) => e.node), [
      { sender: 'CUSTOMER', body: 'Hello?' },
      { sender: 'AGENT', body: 'Hi! How can I help?' },
    ]);
    const closed = await api.ok('mutation($id: ID!, $d: ID) { closeInteraction(id: $id, dispositionId: $d, notes: "Sorted") { state } }', { id, d: f.dispositionId }, agent.token);
    assert.equal(closed.closeInteraction.state, 'CLOSED');
    const done = (await api.ok(INTERACTION, { id }, f.t.adminToken)).interaction;
    assert.deepEqual([done.disposition, done.notes, !!done.endedAt], [{ code: 'DONE' }, 'Sorted', true]);
    assert.equal((await api.ok('{ myAgentState { status } }', {}, agent.token)).myAgentState.status, 'WRAP_UP');
    clock.advance(31_000);
    await sweep(app());
    assert.equal((await api.ok('{ myAgentState { status } }', {}, agent.token)).myAgentState.status, 'AVAILABLE');
    // found again from the contact, in any spelling of its handle
    const contact = await api.ok('{ contactByIdentifier(kind: WEBCHAT, value: "visitor-1") { interactions { totalCount } } }', {}, f.t.adminToken);
    assert.equal(contact.contactByIdentifier.interactions.totalCount, 1);
  });

  it('moves a declined or lapsed offer to the next agent', async () => {
    const f = await floor(api, { agents: 2 });
    const r = await receive(app(), f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'visitor-2' });
    const id = r.outcome === 'QUEUED' ? r.interaction.id : '';
    const first = (await api.ok(INTERACTION, { id }, f.t.adminToken)).interaction.agent.id;
    const firstToken = f.agents.find((a) => a.id === first)!.token;
    await api.ok('mutation($id: ID!) { declineInteraction(id: $id) { state } }', { id }, firstToken);
    const second = (await api.ok(INTERACTION, { id }, f.t.adminToken)).interaction;
    assert.equal(second.state, 'OFFERED');
    assert.notEqual(second.agent.id, first);
    // the second lets it lapse: nobody else is left, so it waits in the queue
    clock.advance(21_000);
    await sweep(app());
    const waiting = (await api.ok(INTERACTION, { id }, f.t.adminToken)).interaction;
    assert.deepEqual([waiting.state, waiting.agent], ['QUEUED', null]);
    // an agent cannot take what was not offered to it
    assert.equal(codeOf(await api.gql('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, firstToken)), 'NOT_FOUND');
  });

  it('never offers an agent more than its capacity, even when many arrive at once', async () => {
    const f = await floor(api, { agents: 2 });
    await api.ok('mutation($u: ID!) { setAgentWrittenCapacity(userId: $u, capacity: 2) { writtenCapacity } }', { u: f.agents[0].id }, f.t.adminToken);
    await api.ok('mutation($u: ID!) { setAgentWrittenCapacity(userId: $u, capacity: 1) { writtenCapacity } }', { u: f.agents[1].id }, f.t.adminToken);
    await Promise.all(Array.from({ length: 8 }, (_, n) => receive(app(), f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: `burst-${n}` })));
    await Promise.all([sweep(app()), sweep(app())]);
    const load = async (agentId: string) =>
      (await api.ok('query($a: ID) { interactions(filter: { agentId: $a, state: OFFERED }) { totalCount } }', { a: agentId }, f.t.adminToken)).interactions.totalCount;
    assert.equal(await load(f.agents[0].id), 2);
    assert.equal(await load(f.agents[1].id), 1);
    assert.equal((await api.ok('{ interactions(filter: { state: QUEUED }) { totalCount } }', {}, f.t.adminToken)).interactions.totalCount, 5);
    // voice is one at a time, and never on top of chats
    const call = await receive(app(), f.t.id, { channel: Channel.VOICE, campaignId: f.campaignId, from: '+1 514 555 0100' });
    assert.equal((await api.ok(INTERACTION, { id: call.outcome === 'QUEUED' ? call.interaction.id : '' }, f.t.adminToken)).interaction.state, 'QUEUED');
  });

  it('refuses written interactions on a VOICE licence up front, and offers no call to an unregistered phone', async () => {
    const f = await floor(api, { agents: 1, kind: 'VOICE' });
    const state = async (r: Awaited<ReturnType<typeof receive>>) =>
      (await api.ok(INTERACTION, { id: r.outcome === 'QUEUED' ? r.interaction.id : '' }, f.t.adminToken)).interaction.state;
    // an AVAILABLE agent whose phone is not registered is never offered a call
    const early = await receive(app(), f.t.id, { channel: Channel.VOICE, campaignId: f.campaignId, from: '+1 514 555 0103' });
    assert.equal(await state(early), 'QUEUED');
    for (const a of f.agents) await registerPhone(api, f.t.slug, a.id);
    await assert.rejects(
      receive(app(), f.t.id, { channel: Channel.SMS, campaignId: f.campaignId, from: '+1 514 555 0101' }),
      (e: { extensions: { code: string } }) => e.extensions.code === 'LICENCE_REQUIRED',
    );
    const call = await receive(app(), f.t.id, { channel: Channel.VOICE, campaignId: f.campaignId, from: '+1 514 555 0102' });
    assert.equal((await api.ok('{ interactions(filter: { channel: SMS }) { totalCount } }', {}, f.t.adminToken)).interactions.totalCount, 0, 'nothing stored');
    assert.equal(await state(early), 'OFFERED', 'the oldest call, once the phone registered');
    assert.equal(await state(call), 'QUEUED', 'one call at a time');
  });

  it('refuses blacklisted senders: nothing is created, nothing offered', async () => {
    const f = await floor(api, { agents: 1 });
    await api.ok('mutation { addBlacklistEntry(input: { kind: PHONE, match: PREFIX, value: "+1 900" }) { id } }', {}, f.t.adminToken);
    await assert.rejects(
      receive(app(), f.t.id, { channel: Channel.WHATSAPP, campaignId: f.campaignId, from: '+1 900 555 0000' }),
      (e: { extensions: { code: string } }) => e.extensions.code === 'SENDER_BLOCKED',
    );
    assert.equal((await api.ok('{ interactions { totalCount } }', {}, f.t.adminToken)).interactions.totalCount, 0);
  });

  it('applies opening hours and holidays: a message out of hours, or one left for the next opening', async () => {
    const hours = [1, 2, 3, 4, 5].map((day) => ({ day, opens: '09:00', closes: '17:00' }));
    const closed = await floor(api, { agents: 1, campaign: { openingHours: hours, holidays: [{ date: '2026-11-24', name: 'Closed day' }], outOfHoursAction: 'MESSAGE', outOfHoursMessage: 'Closed, sorry' } });
    clock.set('2026-11-24T15:00:00Z'); // Tuesday 10:00 in Montreal, a holiday
    assert.deepEqual(await receive(app(), closed.t.id, { channel: Channel.WEBCHAT, campaignId: closed.campaignId, from: 'v-h' }), { outcome: 'CLOSED', message: 'Closed, sorry' });

    const later = await floor(api, { agents: 1, campaign: { openingHours: hours, outOfHoursAction: 'LEAVE_MESSAGE' } });
    clock.set('2026-11-28T03:00:00Z'); // Friday 22:00 in Montreal
    const left = await receive(app(), later.t.id, { channel: Channel.WEBCHAT, campaignId: later.campaignId, from: 'v-night', firstMessage: 'Call me back' });
    assert.equal(left.outcome, 'LEFT_MESSAGE');
    const id = left.outcome === 'LEFT_MESSAGE' ? left.interaction.id : '';
    const q = await api.ok('query($id: ID!) { interaction(id: $id) { state queuedAt } }', { id }, later.t.adminToken);
    assert.deepEqual(q.interaction, { state: 'QUEUED', queuedAt: '2026-11-30T14:00:00.000Z' }, 'Monday 09:00 in Montreal');
    clock.set('2026-11-30T13:59:00Z');
    await sweep(app());
    assert.equal((await api.ok(INTERACTION, { id }, later.t.adminToken)).interaction.state, 'QUEUED');
    clock.set('2026-11-30T14:00:30Z');
    await sweep(app());
    assert.equal((await api.ok(INTERACTION, { id }, later.t.adminToken)).interaction.state, 'OFFERED');
    clock.set('2026-11-23T15:00:00Z');
  });

  it('overflows to the next queue after the maximum wait', async () => {
    const f = await floor(api, { agents: 0, queue: { maxWaitSeconds: 60 } });
    const overflowId = (await api.ok('mutation { createQueue(input: { name: "Overflow" }) { id } }', {}, f.t.adminToken)).createQueue.id;
    await api.ok('mutation($id: ID!, $o: ID) { updateQueue(id: $id, input: { name: "Q", maxWaitSeconds: 60, overflowQueueId: $o }) { id } }', { id: f.queueId, o: overflowId }, f.t.adminToken);
    const r = await receive(app(), f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'v-wait' });
    const id = r.outcome === 'QUEUED' ? r.interaction.id : '';
    clock.advance(59_000);
    await sweep(app());
    assert.equal((await api.ok('query($id: ID!) { interaction(id: $id) { queue { name } } }', { id }, f.t.adminToken)).interaction.queue.name, 'Q');
    clock.advance(2_000);
    await sweep(app());
    assert.equal((await api.ok('query($id: ID!) { interaction(id: $id) { queue { name } } }', { id }, f.t.adminToken)).interaction.queue.name, 'Overflow');
  });

  it('lets agents see only their own interactions, supervisors all', async () => {
    const f = await floor(api, { agents: 2 });
    for (let n = 0; n < 2; n++) await receive(app(), f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: `own-${n}` });
    for (const a of f.agents) {
      const mine = await api.ok('{ interactions { totalCount edges { node { agent { id } } } } }', {}, a.token);
      assert.equal(mine.interactions.totalCount, 1);
      assert.equal(mine.interactions.edges[0].node.agent.id, a.id);
    }
    assert.equal((await api.ok('{ interactions { totalCount } }', {}, f.t.adminToken)).interactions.totalCount, 2);
  });

  it('streams interaction events: agents their own, supervisors every one', async () => {
    const f = await floor(api, { agents: 2 });
    const listen = (token: string, query = 'subscription { interactionEvents { kind interaction { id agent { id } } message { body } } }') => {
      const seen: { kind: string; agent: string | null; body: string | null }[] = [];
      const ready = new Promise<void>((resolve, reject) => {
        const client = api.ws(token);
        client.subscribe<{ interactionEvents: { kind: string; interaction: { agent: { id: string } | null }; message: { body: string } | null } }>(
          { query },
          {
            next: (m) => {
              if (m.errors) return reject(new Error(JSON.stringify(m.errors)));
              const e = m.data!.interactionEvents;
              seen.push({ kind: e.kind, agent: e.interaction.agent?.id ?? null, body: e.message?.body ?? null });
            },
            error: reject,
            complete: () => {},
          },
        );
        void wsReady(client).then(resolve);
      });
      return { seen, ready };
    };
    const boss = listen(f.t.adminToken);
    const [a, b] = f.agents;
    const forA = listen(a.token);
    await Promise.all([boss.ready, forA.ready]);
    await api.subscribed(INTERACTION_EVENT, f.t.id, 2); // both listen before anything happens
    const setState = 'mutation($s: AgentStatus!, $r: String) { setMyAgentState(status: $s, pauseReason: $r) { status } }';
    await api.ok(setState, { s: 'PAUSED', r: 'Coffee' }, a.token); // so b handles the first one
    const r = await receive(app(), f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'events-1' });
    const id = r.outcome === 'QUEUED' ? r.interaction.id : '';
    assert.equal((await api.ok(INTERACTION, { id }, f.t.adminToken)).interaction.agent.id, b.id);
    await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, b.token);
    await api.ok('mutation($id: ID!) { sendMessage(interactionId: $id, body: "Bonjour") { id } }', { id }, b.token);
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id }, b.token);
    await until(() => boss.seen.length >= 5);
    assert.deepEqual(boss.seen.map((e) => e.kind), ['CREATED', 'OFFERED', 'ANSWERED', 'MESSAGE', 'CLOSED']);
    assert.equal(boss.seen[3].body, 'Bonjour');
    // a heard none of b's; positive control: the next one, offered to a (b is wrapping up), reaches it
    await api.ok(setState, { s: 'AVAILABLE' }, a.token);
    const second = await receive(app(), f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'events-2' });
    const secondId = second.outcome === 'QUEUED' ? second.interaction.id : '';
    assert.equal((await api.ok(INTERACTION, { id: secondId }, f.t.adminToken)).interaction.agent.id, a.id);
    await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id: secondId }, a.token);
    await until(() => forA.seen.length >= 2);
    assert.deepEqual(forA.seen, [
      { kind: 'OFFERED', agent: a.id, body: null },
      { kind: 'ANSWERED', agent: a.id, body: null },
    ]);
  });

  it('transfers an active interaction to another agent or to a queue', async () => {
    const f = await floor(api, { agents: 2 });
    const r = await receive(app(), f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'transfer-1' });
    const id = r.outcome === 'QUEUED' ? r.interaction.id : '';
    const firstId = (await api.ok(INTERACTION, { id }, f.t.adminToken)).interaction.agent.id;
    const [from, to] = firstId === f.agents[0].id ? f.agents : [f.agents[1], f.agents[0]];
    await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, from.token);
    const TRANSFER = 'mutation($id: ID!, $q: ID, $a: ID) { transferInteraction(id: $id, queueId: $q, agentId: $a) { state agent { id } queue { name } } }';
    assert.equal(codeOf(await api.gql(TRANSFER, { id, q: f.queueId, a: to.id }, from.token)), 'BAD_USER_INPUT');
    const handed = (await api.ok(TRANSFER, { id, a: to.id }, from.token)).transferInteraction;
    assert.deepEqual([handed.state, handed.agent.id], ['OFFERED', to.id]);
    assert.equal((await api.ok('{ myAgentState { status } }', {}, from.token)).myAgentState.status, 'AVAILABLE');
    await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, to.token);
    const other = (await api.ok('mutation { createQueue(input: { name: "Escalations" }) { id } }', {}, f.t.adminToken)).createQueue.id;
    const queued = (await api.ok(TRANSFER, { id, q: other }, to.token)).transferInteraction;
    assert.deepEqual([queued.state, queued.agent, queued.queue.name], ['QUEUED', null, 'Escalations']);
    assert.equal(codeOf(await api.gql(TRANSFER, { id, q: f.queueId }, to.token)), 'NOT_FOUND', 'no longer theirs');

    // an agent on a call cannot be handed a chat
    for (const a of f.agents) await registerPhone(api, f.t.slug, a.id);
    const call = await receive(app(), f.t.id, { channel: Channel.VOICE, campaignId: f.campaignId, from: '+1 514 555 0177' });
    const callId = call.outcome === 'QUEUED' ? call.interaction.id : '';
    const callAgent = (await api.ok(INTERACTION, { id: callId }, f.t.adminToken)).interaction.agent.id;
    const caller = f.agents.find((a) => a.id === callAgent)!;
    const other2 = f.agents.find((a) => a.id !== callAgent)!;
    await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id: callId }, caller.token);
    const chat = await receive(app(), f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: 'transfer-2' });
    const chatId = chat.outcome === 'QUEUED' ? chat.interaction.id : '';
    assert.equal((await api.ok(INTERACTION, { id: chatId }, f.t.adminToken)).interaction.agent.id, other2.id);
    await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id: chatId }, other2.token);
    assert.equal(codeOf(await api.gql(TRANSFER, { id: chatId, a: caller.id }, other2.token)), 'AGENT_UNAVAILABLE');
  });
});
