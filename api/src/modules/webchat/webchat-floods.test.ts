import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeOf, startTestApi, type GqlResult, type TestApi } from '../../testing/harness.js';
import { floor } from '../../testing/contact-centre.js';
import { ManualClock } from '../../platform/clock.js';

const SITE = 'https://shop.example';
const START = 'mutation($k: String!, $i: StartChatInput!) { startChat(widgetKey: $k, input: $i) { token outcome } }';

describe('webchat flood limits', () => {
  const clock = new ManualClock(new Date());
  let api: TestApi;
  let keys: string[];
  before(async () => {
    // TRUST_PROXY=1: the test plays visitors at several addresses through X-Forwarded-For
    api = await startTestApi({ clock, config: { trustProxy: 1, webchatStartsPerAddress: 3, webchatStartsPerKey: 5, webchatTypingLimit: 3 } });
    const f = await floor(api, { agents: 0 });
    const key = async () => (await api.ok('mutation($c: ID!, $o: [String!]!) { createWidgetKey(campaignId: $c, allowedOrigins: $o) { key } }', { c: f.campaignId, o: [SITE] }, f.t.adminToken)).createWidgetKey.key as string;
    keys = [await key(), await key(), await key()];
  });
  after(() => api.stop());

  /** What the widget sends from a visitor at `address`: no credentials, the page's Origin. */
  const visitor = async (address: string, query: string, variables: Record<string, unknown>): Promise<GqlResult> => {
    const r = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE, 'x-forwarded-for': address },
      body: JSON.stringify({ query, variables }),
    });
    return (await r.json()) as GqlResult;
  };
  const start = (address: string, key: string) => visitor(address, START, { k: key, i: { message: 'hello' } });

  it('limits chat starts per source address (WEBCHAT_STARTS_PER_ADDRESS), others unaffected', async () => {
    for (let n = 0; n < 3; n++) assert.equal((await start('198.51.100.1', keys[0])).data?.startChat.outcome, 'QUEUED');
    const refused = await start('198.51.100.1', keys[0]);
    assert.equal(codeOf(refused), 'RATE_LIMITED');
    assert.ok(Number(refused.errors![0].extensions!.retryAfterSeconds) > 0);
    assert.equal(codeOf(await start('198.51.100.1', 'wk_unknown')), 'RATE_LIMITED', 'checked before the key is looked up');
    assert.equal((await start('198.51.100.2', keys[0])).data?.startChat.outcome, 'QUEUED', 'another address');
    const queued = await api.running.app.orm.em.getConnection().execute<{ n: number }[]>("select count(*)::int as n from interaction where state = 'QUEUED'");
    assert.equal(queued[0].n, 4, 'refused starts left nothing behind');
    clock.advance(600_000);
    assert.equal((await start('198.51.100.1', keys[0])).data?.startChat.outcome, 'QUEUED', 'allowed again after the block');
  });

  it('limits chat starts per widget key (WEBCHAT_STARTS_PER_KEY), whatever the addresses', async () => {
    for (let n = 0; n < 5; n++) assert.equal((await start(`203.0.113.${n}`, keys[1])).data?.startChat.outcome, 'QUEUED');
    assert.equal(codeOf(await start('203.0.113.50', keys[1])), 'RATE_LIMITED');
    assert.equal((await start('203.0.113.51', keys[2])).data?.startChat.outcome, 'QUEUED', 'another widget key');
    clock.advance(60_000);
    assert.equal((await start('203.0.113.52', keys[1])).data?.startChat.outcome, 'QUEUED', 'a minute later');
  });

  it('drops typing events beyond WEBCHAT_TYPING_LIMIT per chat per 5 seconds', async () => {
    const token = (await start('192.0.2.7', keys[2])).data!.startChat.token;
    const TYPING = 'mutation($t: String!, $on: Boolean!) { visitorTyping(token: $t, typing: $on) }';
    const sent = [];
    for (let n = 0; n < 6; n++) sent.push((await visitor('192.0.2.7', TYPING, { t: token, on: n % 2 === 0 })).data?.visitorTyping);
    assert.deepEqual(sent, [true, true, true, false, false, false]);
    const other = (await start('192.0.2.8', keys[2])).data!.startChat.token;
    assert.equal((await visitor('192.0.2.8', TYPING, { t: other, on: true })).data?.visitorTyping, true, 'another chat has its own count');
    clock.advance(5_000);
    assert.equal((await visitor('192.0.2.7', TYPING, { t: token, on: true })).data?.visitorTyping, true, 'delivered again after the window');
  });
});
