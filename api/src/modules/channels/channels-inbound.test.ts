/**
 * Inbound SMS and Telegram through their webhooks, as the providers send them (local peers sign
 * with real keys): signatures checked before anything is stored, retries ignored, one customer
 * one conversation, VOICE licences refused; and provider secrets that GraphQL never shows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { floor } from '../../testing/contact-centre.js';
import { codeOf } from '../../testing/harness.js';
import { AUTH_TOKEN, BOT_TOKEN, SID, channelRig, rows, smsAccount, telegramAccount, type ChannelRig } from '../../testing/channels-kit.js';
import { signTwilio } from '../../testing/twilio-peer.js';

const sms = (sid: string, from: string, body: string) => ({ MessageSid: sid, SmsSid: sid, AccountSid: SID, From: from, To: '+15145550000', Body: body, NumMedia: '0' });
const update = (updateId: number, messageId: number, userId: number, text: string) => ({
  update_id: updateId,
  message: { message_id: messageId, from: { id: userId, is_bot: false, first_name: 'Ada', last_name: 'Lovelace' }, chat: { id: userId, type: 'private' }, date: 1700000000, text },
});
const SMS_INTERACTIONS = '{ interactions(filter: { channel: SMS }) { totalCount edges { node { id state customerAddress contact { id } messages { edges { node { body sender } } } } } } }';

describe('channels: inbound webhooks', () => {
  let rig: ChannelRig;
  before(async () => {
    rig = await channelRig();
  });
  after(() => rig.stop());

  it('refuses forged, missing and misdirected signatures with 403, and stores nothing', async () => {
    const { api, twilio, telegram } = rig;
    const f = await floor(api, { agents: 1 });
    const a = await smsAccount(api, f.t.adminToken, f.campaignId);
    const t = await telegramAccount(api, f.t.adminToken, f.campaignId);
    const params = sms('SM00000000000000000000000000000001', '+15145550101', 'hello');
    const refused = [
      await twilio.post(a.webhook, params, 'not-the-auth-token'),
      await twilio.post(a.webhook, params, AUTH_TOKEN, null),
      await twilio.post(a.webhook, params, AUTH_TOKEN, signTwilio(`${a.webhook}/elsewhere`, params, AUTH_TOKEN)),
      await twilio.post(a.webhook, { ...params, Body: 'tampered' }, AUTH_TOKEN, signTwilio(a.webhook, params, AUTH_TOKEN)),
      await twilio.post(a.status, { MessageSid: 'SMx', MessageStatus: 'delivered' }, 'forged'),
      await twilio.post(a.webhook.replace(a.id, '00000000-0000-7000-8000-000000000000'), params, AUTH_TOKEN),
      await telegram.post(t.webhook, update(1, 1, 4242, 'hi'), 'wrong-secret'),
      await telegram.post(t.webhook, update(1, 1, 4242, 'hi'), null),
      // an SMS account's URL does not take Telegram updates, nor the other way round
      await telegram.post(a.webhook.replace('/sms/', '/telegram/'), update(1, 1, 4242, 'hi'), t.secret),
    ];
    assert.deepEqual(refused.map((r) => r.status), refused.map(() => 403));
    for (const table of ['channel_message', 'interaction', 'contact', 'message'] as const) assert.equal(await rows(api, table, f.t.id), 0, table);
    // the same requests, signed properly, are taken
    assert.equal((await twilio.post(a.webhook, params, AUTH_TOKEN)).status, 200);
    assert.equal((await telegram.post(t.webhook, update(1, 1, 4242, 'hi'), t.secret)).status, 200);
    assert.equal(await rows(api, 'interaction', f.t.id), 2);
  });

  it('one customer writing twice by SMS is one contact in one conversation; a retried webhook is ignored', async () => {
    const { api, twilio } = rig;
    const f = await floor(api, { agents: 1 });
    const a = await smsAccount(api, f.t.adminToken, f.campaignId);
    const first = await twilio.post(a.webhook, sms('SM00000000000000000000000000000011', '+1 (514) 555-0142', 'My order is late'), AUTH_TOKEN);
    assert.equal(first.status, 200);
    assert.match(first.headers.get('content-type') ?? '', /xml/);
    assert.equal(first.headers.get('x-switchboard-outcome'), 'STORED');
    const retry = await twilio.post(a.webhook, sms('SM00000000000000000000000000000011', '+1 (514) 555-0142', 'My order is late'), AUTH_TOKEN);
    assert.equal(retry.headers.get('x-switchboard-outcome'), 'DUPLICATE');
    const second = await twilio.post(a.webhook, sms('SM00000000000000000000000000000012', '0015145550142', 'Order 1234'), AUTH_TOKEN);
    assert.equal(second.headers.get('x-switchboard-outcome'), 'STORED');

    const list = (await api.ok(SMS_INTERACTIONS, {}, f.t.adminToken)).interactions;
    assert.equal(list.totalCount, 1, 'one conversation');
    const i = list.edges[0].node;
    assert.equal(i.customerAddress, '+15145550142');
    assert.deepEqual(i.messages.edges.map((e: { node: { body: string } }) => e.node.body), ['My order is late', 'Order 1234']);
    assert.equal(await rows(api, 'contact', f.t.id), 1, 'one contact');
    const found = await api.ok('query { contactByIdentifier(kind: PHONE, value: "+1 514 555 0142") { id } }', {}, f.t.adminToken);
    assert.equal(found.contactByIdentifier.id, i.contact.id);
  });

  it('a Telegram user gets a contact by user id, and a retried update is ignored', async () => {
    const { api, telegram } = rig;
    const f = await floor(api, { agents: 1 });
    const t = await telegramAccount(api, f.t.adminToken, f.campaignId);
    assert.equal((await telegram.post(t.webhook, update(10, 7, 987654321, 'Bonjour'), t.secret)).headers.get('x-switchboard-outcome'), 'STORED');
    assert.equal((await telegram.post(t.webhook, update(10, 7, 987654321, 'Bonjour'), t.secret)).headers.get('x-switchboard-outcome'), 'DUPLICATE');
    assert.equal((await telegram.post(t.webhook, update(11, 8, 987654321, 'Encore moi'), t.secret)).headers.get('x-switchboard-outcome'), 'STORED');
    const list = (await api.ok('{ interactions(filter: { channel: TELEGRAM }) { totalCount edges { node { customerAddress contact { name } messages { totalCount } } } } }', {}, f.t.adminToken)).interactions;
    assert.equal(list.totalCount, 1);
    assert.deepEqual(list.edges[0].node, { customerAddress: '987654321', contact: { name: 'Ada Lovelace' }, messages: { totalCount: 2 } });
    const found = await api.ok('query { contactByIdentifier(kind: TELEGRAM, value: "987654321") { name } }', {}, f.t.adminToken);
    assert.equal(found.contactByIdentifier.name, 'Ada Lovelace');
  });

  it('refuses a VOICE-licence tenant up front: logged, answered, nothing stored', async () => {
    const { api, twilio } = rig;
    const f = await floor(api, { agents: 1, kind: 'VOICE' });
    const a = await smsAccount(api, f.t.adminToken, f.campaignId);
    const r = await twilio.post(a.webhook, sms('SM00000000000000000000000000000021', '+15145550177', 'anyone?'), AUTH_TOKEN);
    assert.equal(r.status, 200, 'acknowledged, so the provider does not retry for ever');
    assert.equal(r.headers.get('x-switchboard-outcome'), 'REFUSED');
    for (const table of ['channel_message', 'interaction', 'contact', 'message'] as const) assert.equal(await rows(api, table, f.t.id), 0, table);
  });

  it('never shows provider secrets: not in GraphQL, not in clear in the database; agents cannot see accounts', async () => {
    const { api } = rig;
    const f = await floor(api, { agents: 1 });
    await smsAccount(api, f.t.adminToken, f.campaignId);
    const t = await telegramAccount(api, f.t.adminToken, f.campaignId);
    assert.ok(t.secret.length >= 32, 'the webhook secret is shown once, at creation');
    const fields = (await api.ok('{ __type(name: "ChannelAccount") { fields { name type { kind ofType { kind } } } } }', {}, f.t.adminToken)).__type.fields
      .filter((x: { type: { kind: string; ofType: { kind: string } | null } }) => (x.type.ofType?.kind ?? x.type.kind) === 'SCALAR' || (x.type.ofType?.kind ?? x.type.kind) === 'ENUM')
      .map((x: { name: string }) => x.name);
    assert.ok(fields.length >= 8, `ChannelAccount has its fields: ${fields}`);
    const everything = JSON.stringify(await api.ok(`{ channelAccounts { edges { node { ${fields.join(' ')} campaign { id } } } } }`, {}, f.t.adminToken));
    for (const secret of [AUTH_TOKEN, BOT_TOKEN, t.secret]) assert.ok(!everything.includes(secret), 'a secret is shown');
    const [stored] = await api.running.app.orm.em.getConnection().execute<{ s: string }[]>(`select string_agg(secrets, ' ') as s from channel_account where tenant_id = ?`, [f.t.id]);
    for (const secret of [AUTH_TOKEN, BOT_TOKEN, t.secret, Buffer.from(AUTH_TOKEN).toString('base64')]) assert.ok(!stored!.s.includes(secret), 'a secret is stored in clear');
    assert.match(stored!.s, /^v1\.[0-9a-f]{8}\./);
    assert.equal(codeOf(await api.gql('{ channelAccounts { totalCount } }', {}, f.agents[0].token)), 'FORBIDDEN');
  });

  it('checks account input per kind, and the campaign belongs to the tenant', async () => {
    const { api } = rig;
    const f = await floor(api, { agents: 1 });
    const other = await floor(api, { agents: 1 });
    const create = (i: Record<string, unknown>) => api.gql('mutation($i: ChannelAccountInput!) { createChannelAccount(input: $i) { account { id } } }', { i }, f.t.adminToken);
    assert.equal(codeOf(await create({ kind: 'SMS', name: 'x', campaignId: f.campaignId, address: '+15145550000', accountSid: SID })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await create({ kind: 'SMS', name: 'x', campaignId: f.campaignId, address: 'not a number', accountSid: SID, authToken: 'x' })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await create({ kind: 'TELEGRAM', name: 'x', campaignId: f.campaignId, botToken: 'nope' })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await create({ kind: 'TELEGRAM', name: 'x', campaignId: other.campaignId, botToken: BOT_TOKEN })), 'NOT_FOUND');
    assert.equal(await api.running.app.orm.em.getConnection().execute<{ n: string }[]>('select count(*) as n from channel_account where tenant_id = ?', [f.t.id]).then((r) => Number(r[0]!.n)), 0);
  });
});

describe('channels: an address sending forged webhooks', () => {
  let rig: ChannelRig;
  before(async () => {
    rig = await channelRig({ channelWebhookMaxRefusals: 3 });
  });
  after(() => rig.stop());

  it('is answered 429 with Retry-After once it collected more refusals than allowed, even with a good signature', async () => {
    const { api, twilio } = rig;
    const f = await floor(api, { agents: 1 });
    const a = await smsAccount(api, f.t.adminToken, f.campaignId);
    const params = sms('SM00000000000000000000000000000091', '+15145550191', 'hello');
    const forged = [];
    for (let i = 0; i < 4; i++) forged.push((await twilio.post(a.webhook, params, 'forged-token')).status);
    assert.deepEqual(forged, [403, 403, 403, 403], 'each forged one is refused; the fourth starts the block');
    const blocked = await twilio.post(a.webhook, params, AUTH_TOKEN);
    assert.equal(blocked.status, 429);
    assert.equal(blocked.headers.get('retry-after'), '600');
    assert.equal(await rows(api, 'interaction', f.t.id), 0);
  });
});
