import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../platform/clock.js';
import { codeOf, startTestApi, type TestApi } from '../../testing/harness.js';
import { floor } from '../../testing/contact-centre.js';
import { receive } from '../routing/receive.js';
import { Channel } from './interaction.entity.js';
import { purgeExpired } from './retention.js';

describe('retention', () => {
  let api: TestApi;
  const clock = new ManualClock('2026-01-05T15:00:00Z');
  before(async () => {
    api = await startTestApi({ clock });
  });
  after(() => api.stop());

  it("deletes transcripts past the tenant's retention, keeps the figures, and can run again", async () => {
    const short = await floor(api, { agents: 1 });
    const long = await floor(api, { agents: 1 });
    const SET = 'mutation($id: ID!, $m: Int!) { setTenantRetention(id: $id, months: $m) { retentionMonths } }';
    assert.equal((await api.ok(SET, { id: long.t.id, m: 24 }, api.operatorToken)).setTenantRetention.retentionMonths, 24);
    assert.equal(codeOf(await api.gql(SET, { id: long.t.id, m: 0 }, api.operatorToken)), 'BAD_USER_INPUT');
    assert.equal(codeOf(await api.gql(SET, { id: long.t.id, m: 36 }, long.t.adminToken)), 'FORBIDDEN');

    const chat = async (f: typeof short) => {
      const r = await receive(api.running.app, f.t.id, { channel: Channel.WEBCHAT, campaignId: f.campaignId, from: `retention-${f.t.slug}`, firstMessage: 'my order number is 1234' });
      const id = r.outcome === 'QUEUED' ? r.interaction.id : '';
      const [agent] = f.agents;
      await api.ok('mutation($id: ID!) { acceptInteraction(id: $id) { state } }', { id }, agent.token);
      await api.ok('mutation($id: ID!) { sendMessage(interactionId: $id, body: "Thanks, found it") { id } }', { id }, agent.token);
      await api.ok('mutation($id: ID!, $d: ID) { closeInteraction(id: $id, dispositionId: $d) { state } }', { id, d: f.dispositionId }, agent.token);
      return id;
    };
    const a = await chat(short);
    const b = await chat(long);
    const SHOW = 'query($id: ID!) { interaction(id: $id) { state disposition { code } transcriptPurgedAt messages { totalCount } } }';

    clock.set('2027-01-04T15:00:00Z'); // not quite 12 months
    assert.deepEqual(await purgeExpired(api.running.app), { interactions: 0, messages: 0 });
    clock.set('2027-01-06T15:00:00Z');
    assert.deepEqual(await purgeExpired(api.running.app), { interactions: 1, messages: 2 });
    const purged = (await api.ok(SHOW, { id: a }, short.t.adminToken)).interaction;
    assert.deepEqual(purged, { state: 'CLOSED', disposition: { code: 'DONE' }, transcriptPurgedAt: '2027-01-06T15:00:00.000Z', messages: { totalCount: 0 } });
    assert.equal((await api.ok(SHOW, { id: b }, long.t.adminToken)).interaction.messages.totalCount, 2, '24 months for this tenant');
    assert.deepEqual(await purgeExpired(api.running.app), { interactions: 0, messages: 0 }, 'idempotent');
    clock.set('2026-01-05T15:00:00Z');
  });
});
