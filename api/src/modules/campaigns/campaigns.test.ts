import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi, type TestApi } from '../../testing/harness.js';
import { createTenant, createUsers, signIn } from '../../testing/fixtures.js';

const CREATE_QUEUE = 'mutation($i: QueueInput!) { createQueue(input: $i) { id name strategy wrapUpSeconds serviceLevelSeconds maxWaitSeconds overflowQueue { name } } }';
const UPDATE_QUEUE = 'mutation($id: ID!, $i: QueueInput!) { updateQueue(id: $id, input: $i) { id overflowQueue { id } } }';
const CREATE_CAMPAIGN = `mutation($i: CampaignInput!) { createCampaign(input: $i) {
  id name type active timeZone openingHours { day opens closes } holidays { date name } outOfHoursAction outOfHoursMessage
  screenPopUrlTemplate defaultQueue { id name } dispositions { code } } }`;

const campaignInput = (queueId: string, extra: Record<string, unknown> = {}) => ({
  name: 'Support line',
  type: 'OMNI',
  timeZone: 'America/Montreal',
  openingHours: [
    { day: 2, opens: '13:00', closes: '17:00' },
    { day: 1, opens: '08:00', closes: '18:00' },
    { day: 2, opens: '08:00', closes: '12:00' },
  ],
  holidays: [{ date: '2026-12-25', name: 'Christmas' }, { date: '2026-07-01', name: 'Canada Day' }],
  outOfHoursAction: 'LEAVE_MESSAGE',
  outOfHoursMessage: 'We are closed; leave us a message.',
  screenPopUrlTemplate: 'https://crm.example/contacts?phone={customer.phone}',
  defaultQueueId: queueId,
  ...extra,
});

describe('queues', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('are configured by administrators, with agents as members and overflow without loops', async () => {
    const t = await createTenant(api, { seats: 5 });
    const sales = (await api.ok(CREATE_QUEUE, { i: { name: 'Sales', strategy: 'ROUND_ROBIN', wrapUpSeconds: 15, maxWaitSeconds: 120 } }, t.adminToken)).createQueue;
    assert.deepEqual({ ...sales, id: undefined }, {
      id: undefined, name: 'Sales', strategy: 'ROUND_ROBIN', wrapUpSeconds: 15, serviceLevelSeconds: 20, maxWaitSeconds: 120, overflowQueue: null,
    });
    const backup = (await api.ok(CREATE_QUEUE, { i: { name: 'Backup', overflowQueueId: sales.id } }, t.adminToken)).createQueue;
    assert.deepEqual(backup.overflowQueue, { name: 'Sales' });
    const loop = await api.gql(UPDATE_QUEUE, { id: sales.id, i: { name: 'Sales', overflowQueueId: backup.id } }, t.adminToken);
    assert.equal(codeOf(loop), 'BAD_USER_INPUT');
    const self = await api.gql(UPDATE_QUEUE, { id: sales.id, i: { name: 'Sales', overflowQueueId: sales.id } }, t.adminToken);
    assert.equal(codeOf(self), 'BAD_USER_INPUT');
    assert.equal(codeOf(await api.gql(CREATE_QUEUE, { i: { name: 'Sales' } }, t.adminToken)), 'CONFLICT');
    assert.equal(codeOf(await api.gql(CREATE_QUEUE, { i: { name: 'Slow', wrapUpSeconds: -1 } }, t.adminToken)), 'BAD_USER_INPUT');

    const agents = await createUsers(api, t.adminToken, 'AGENT', 2);
    const [sup] = await createUsers(api, t.adminToken, 'SUPERVISOR', 1);
    const members = 'mutation($q: ID!, $u: [ID!]!) { setQueueMembers(queueId: $q, userIds: $u) { members { email } } }';
    const set = await api.ok(members, { q: sales.id, u: agents.map((a) => a.id) }, t.adminToken);
    assert.deepEqual(set.setQueueMembers.members.map((m: { email: string }) => m.email).sort(), agents.map((a) => a.email).sort());
    assert.equal(codeOf(await api.gql(members, { q: sales.id, u: [sup.id] }, t.adminToken)), 'BAD_USER_INPUT');

    const supToken = await signIn(api, sup.email, sup.password, t.slug);
    const list = await api.ok('{ queues { totalCount edges { node { name members { id } overflowQueue { name } } } } }', {}, supToken);
    assert.equal(list.queues.totalCount, 2);
    assert.equal(codeOf(await api.gql(CREATE_QUEUE, { i: { name: 'By supervisor' } }, supToken)), 'FORBIDDEN');
  });
});

describe('campaigns', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('keep opening hours, holidays, out-of-hours behaviour, a screen pop-up and a default queue', async () => {
    const t = await createTenant(api);
    const queue = (await api.ok(CREATE_QUEUE, { i: { name: 'Support' } }, t.adminToken)).createQueue;
    const c = (await api.ok(CREATE_CAMPAIGN, { i: campaignInput(queue.id) }, t.adminToken)).createCampaign;
    assert.deepEqual(c.openingHours, [
      { day: 1, opens: '08:00', closes: '18:00' },
      { day: 2, opens: '08:00', closes: '12:00' },
      { day: 2, opens: '13:00', closes: '17:00' },
    ]);
    assert.deepEqual(c.holidays.map((h: { date: string }) => h.date), ['2026-07-01', '2026-12-25']);
    assert.deepEqual(c.defaultQueue, { id: queue.id, name: 'Support' });
    assert.equal(c.outOfHoursAction, 'LEAVE_MESSAGE');
    const renamed = await api.ok('mutation($id: ID!, $i: CampaignInput!) { updateCampaign(id: $id, input: $i) { name active defaultQueue { id } screenPopUrlTemplate } }', {
      id: c.id, i: campaignInput(queue.id, { name: 'Support', active: false, defaultQueueId: null, screenPopUrlTemplate: null }),
    }, t.adminToken);
    assert.deepEqual(renamed.updateCampaign, { name: 'Support', active: false, defaultQueue: null, screenPopUrlTemplate: null });
  });

  it('refuse bad configuration, field by field, and write nothing', async () => {
    const t = await createTenant(api);
    const queue = (await api.ok(CREATE_QUEUE, { i: { name: 'Support' } }, t.adminToken)).createQueue;
    const bad: [Record<string, unknown>, string][] = [
      [{ openingHours: [{ day: 1, opens: '18:00', closes: '08:00' }] }, 'openingHours'],
      [{ openingHours: [{ day: 1, opens: '08:00', closes: '12:00' }, { day: 1, opens: '11:00', closes: '14:00' }] }, 'openingHours'],
      [{ openingHours: [{ day: 8, opens: '08:00', closes: '12:00' }] }, 'openingHours'],
      [{ openingHours: [{ day: 1, opens: '8h', closes: '12:00' }] }, 'openingHours'],
      [{ holidays: [{ date: '2026-02-30', name: 'Nope' }] }, 'holidays'],
      [{ holidays: [{ date: '2026-12-25', name: 'A' }, { date: '2026-12-25', name: 'B' }] }, 'holidays'],
      [{ timeZone: 'Atlantis/Capital' }, 'timeZone'],
      [{ screenPopUrlTemplate: 'https://crm.example/?q={customer.secret}' }, 'screenPopUrlTemplate'],
      [{ screenPopUrlTemplate: 'javascript:alert(1)' }, 'screenPopUrlTemplate'],
    ];
    for (const [extra, field] of bad) {
      const r = await api.gql(CREATE_CAMPAIGN, { i: campaignInput(queue.id, extra) }, t.adminToken);
      assert.equal(codeOf(r), 'BAD_USER_INPUT', JSON.stringify(extra));
      const ext = r.errors![0].extensions!;
      const fields = ext.field ? [ext.field] : (ext.fields as { field: string }[]).map((f) => f.field);
      assert.ok(fields.includes(field), `${JSON.stringify(extra)} -> ${JSON.stringify(ext)}`);
    }
    assert.equal((await api.ok('{ campaigns { totalCount } }', {}, t.adminToken)).campaigns.totalCount, 0);
  });

  it('have dispositions whose codes stay; retired ones are hidden unless asked for', async () => {
    const t = await createTenant(api, { seats: 5 });
    const queue = (await api.ok(CREATE_QUEUE, { i: { name: 'Support' } }, t.adminToken)).createQueue;
    const c = (await api.ok(CREATE_CAMPAIGN, { i: campaignInput(queue.id) }, t.adminToken)).createCampaign;
    const add = 'mutation($c: ID!, $i: DispositionInput!) { createDisposition(campaignId: $c, input: $i) { id code label active } }';
    const sale = (await api.ok(add, { c: c.id, i: { code: 'SALE', label: 'Sale' } }, t.adminToken)).createDisposition;
    await api.ok(add, { c: c.id, i: { code: 'CALLBACK', label: 'Call back' } }, t.adminToken);
    assert.equal(codeOf(await api.gql(add, { c: c.id, i: { code: 'SALE', label: 'Again' } }, t.adminToken)), 'CONFLICT');
    assert.equal(codeOf(await api.gql(add, { c: c.id, i: { code: 'bad code', label: 'x' } }, t.adminToken)), 'BAD_USER_INPUT');
    const upd = 'mutation($id: ID!, $i: DispositionInput!) { updateDisposition(id: $id, input: $i) { code label active } }';
    assert.deepEqual((await api.ok(upd, { id: sale.id, i: { code: 'SALE', label: 'Sold', active: false } }, t.adminToken)).updateDisposition, { code: 'SALE', label: 'Sold', active: false });
    assert.equal(codeOf(await api.gql(upd, { id: sale.id, i: { code: 'WON', label: 'Won' } }, t.adminToken)), 'BAD_USER_INPUT');

    const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
    const token = await signIn(api, agent.email, agent.password, t.slug);
    const seen = await api.ok('query($id: ID!) { campaign(id: $id) { dispositions { code } all: dispositions(includeInactive: true) { code } } }', { id: c.id }, token);
    assert.deepEqual(seen.campaign.dispositions, [{ code: 'CALLBACK' }]);
    assert.deepEqual(seen.campaign.all.map((d: { code: string }) => d.code).sort(), ['CALLBACK', 'SALE']);
    assert.equal(codeOf(await api.gql(add, { c: c.id, i: { code: 'X', label: 'x' } }, token)), 'FORBIDDEN');
  });
});
