/**
 * A visitor on the example website chats (real Chromium, the built widget served by a real API)
 * with an agent whose side runs through @switchboard/sdk; the wallboard follows along.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import WebSocket from 'ws';
import type { Page } from 'playwright-core';
import { createClient, type SwitchboardClient, type TypedDocumentNode } from '@switchboard/sdk';
import { startTestApi, type TestApi } from '../../api/src/testing/harness.js';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { servePages, type PagesServer } from '../../examples/widget-pages/serve.js';
import { ensureWidgetsBuilt } from '../../widgets/build.js';
import { RECORD_SOCKETS, dropSockets, launchChromium, screenshot, seriousViolations, type Browser } from './browser.js';

const gql = <R = any, V = any>(source: string) => parse(source) as unknown as TypedDocumentNode<R, V>;
const EVENTS = gql('subscription { interactionEvents { kind interaction { id state } message { id sender body } } }');
const ACCEPT = gql('mutation($id: ID!) { acceptInteraction(id: $id) { id } }');
const SEND = gql('mutation($id: ID!, $b: String!) { sendMessage(interactionId: $id, body: $b) { id } }');
const TYPING = gql('mutation($id: ID!, $on: Boolean!) { setTyping(interactionId: $id, typing: $on) }');
const STATE = gql('mutation($s: AgentStatus!) { setMyAgentState(status: $s, pauseReason: "lunch") { status } }');

describe('webchat and wallboard in Chromium', () => {
  let api: TestApi;
  let f: Floor;
  let pages: PagesServer;
  let browser: Browser;
  let agent: SwitchboardClient;
  const options = { api: '', widgetKey: '' };

  before(async () => {
    await ensureWidgetsBuilt();
    api = await startTestApi({ config: { routingSweepSeconds: 1, wsRevalidateSeconds: 1 } });
    f = await floor(api, { agents: 1 });
    options.api = api.url;
    pages = await servePages(options);
    options.widgetKey = (await api.ok('mutation($c: ID!, $o: [String!]!) { createWidgetKey(campaignId: $c, allowedOrigins: $o) { key } }', { c: f.campaignId, o: [pages.url] }, f.t.adminToken)).createWidgetKey.key;
    agent = createClient({ url: `${api.url}/graphql`, getToken: () => f.agents[0].token, webSocketImpl: WebSocket });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await agent?.close();
    await pages?.close();
    await api?.stop();
  });

  const chat = (page: Page) => page.locator('sb-webchat');
  const figure = (page: Page, name: string) => page.locator(`sb-wallboard [data-figure="${name}"] dd`);
  const shadowText = (page: Page, selector: string) => page.evaluate((s) => document.querySelector(s)!.shadowRoot!.textContent ?? '', selector);

  it('carries a conversation both ways, live, with the wallboard following, across a dropped connection and a reload', async () => {
    const key = (await api.ok('mutation { createApiKey(input: { name: "wall", scopes: [AGENTS_MONITOR] }) { apiKey { id } secret } }', {}, f.t.adminToken)).createApiKey;
    const board = await browser.context.newPage();
    await board.goto(`${pages.url}/wallboard.html#key=${key.secret}&queues=${f.queueId}`);
    await figure(board, 'waiting').filter({ hasText: '0' }).waitFor();
    assert.deepEqual(await seriousViolations(board), []);

    await agent.request(STATE, { s: 'PAUSED' }); // so the chat waits in the queue first
    const site = await browser.context.newPage();
    await site.addInitScript(RECORD_SOCKETS);
    await site.goto(pages.url);
    await site.getByRole('button', { name: 'Open chat' }).click();
    await site.getByLabel('Message').waitFor();
    assert.deepEqual(await seriousViolations(site), [], 'chat form');
    await screenshot(site, 'webchat-open');

    const events = agent.subscribe(EVENTS);
    const seenByAgent: string[] = [];
    let offered = '';
    const reading = (async () => {
      for await (const { interactionEvents: e } of events) {
        if (e.kind === 'OFFERED') offered = e.interaction.id;
        if (e.message) seenByAgent.push(`${e.message.sender}:${e.message.body}`);
      }
    })();

    await site.getByLabel('Your name').fill('Ana');
    await site.getByLabel('Message').fill('Hello <img src=x onerror="window.injected=1"> there');
    await site.getByRole('button', { name: 'Start chat' }).click();
    await chat(site).getByText('Waiting for an agent').waitFor();
    await figure(board, 'waiting').filter({ hasText: '1' }).waitFor(); // queued

    await agent.request(STATE, { s: 'AVAILABLE' }); // the sweep offers it
    await until(() => offered !== '');
    await agent.request(ACCEPT, { id: offered });
    await figure(board, 'answered').filter({ hasText: '1' }).waitFor();
    await figure(board, 'waiting').filter({ hasText: '0' }).waitFor();
    await chat(site).locator('header .agent').filter({ hasText: 'agent 0' }).waitFor(); // the agent's name

    await agent.request(TYPING, { id: offered, on: true });
    await chat(site).getByText('agent 0 is typing').waitFor();
    await agent.request(SEND, { id: offered, b: 'Hi Ana, how can I help?' });
    await chat(site).getByText('Hi Ana, how can I help?').waitFor();
    await site.getByLabel('Write a message').fill('My order is late');
    await site.keyboard.press('Enter');
    await until(() => seenByAgent.includes('CUSTOMER:My order is late'));
    const first = await agent.request(gql('query($id: ID!) { interaction(id: $id) { messages { edges { node { body } } } } }'), { id: offered });
    assert.match(first.interaction.messages.edges[0].node.body, /^Hello <img src=x/, 'the agent gets the text as written');

    // Text is text: the markup shows as characters and nothing runs.
    assert.match(await shadowText(site, 'sb-webchat'), /Hello <img src=x onerror="window\.injected=1"> there/);
    assert.equal(await site.evaluate(() => document.querySelector('sb-webchat')!.shadowRoot!.querySelectorAll('img').length), 0);
    assert.equal(await site.evaluate(() => (window as unknown as { injected?: number }).injected), undefined);
    assert.deepEqual(await seriousViolations(site), [], 'conversation');
    await screenshot(site, 'webchat-conversation');
    await screenshot(board, 'wallboard');

    // The connection drops; what the agent writes meanwhile arrives once, in order.
    await dropSockets(site);
    await agent.request(SEND, { id: offered, b: 'Written while you were away' });
    await chat(site).getByText('Written while you were away').waitFor();
    await agent.request(SEND, { id: offered, b: 'And after' });
    await chat(site).getByText('And after').waitFor();
    const bubbles = () => chat(site).locator('li').allTextContents();
    assert.equal((await bubbles()).filter((t) => t.includes('Written while you were away')).length, 1);

    // A reload keeps the conversation; with the panel closed, new agent messages are counted.
    await site.reload();
    await agent.request(SEND, { id: offered, b: 'Still there?' });
    await chat(site).locator('.badge').filter({ hasText: '1' }).waitFor();
    await site.getByRole('button', { name: /Open chat, 1 unread/ }).click();
    await chat(site).getByText('Still there?').waitFor();
    const texts = await bubbles();
    for (const expected of ['Hi Ana, how can I help?', 'My order is late', 'Written while you were away', 'And after', 'Still there?']) {
      assert.equal(texts.filter((t) => t.includes(expected)).length, 1, expected);
    }
    await site.keyboard.press('Escape');
    await site.getByRole('button', { name: 'Open chat' }).waitFor();

    // The wallboard says so when its connection is gone: here its API key is revoked.
    await api.ok('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.apiKey.id }, f.t.adminToken);
    await board.locator('sb-wallboard [part="status"]').filter({ hasText: 'Not allowed' }).waitFor();
    assert.match(await board.locator('sb-wallboard section').getAttribute('class') ?? '', /stale/);

    await events.return?.();
    await reading;
  });

  it('speaks Spanish or French from the lang attribute, else the browser\'s language', async () => {
    const page = await browser.context.newPage();
    await page.goto(pages.url);
    await page.evaluate(() => localStorage.clear()); // a new visitor
    await page.reload();
    await page.evaluate(() => document.querySelector('sb-webchat')!.setAttribute('lang', 'es'));
    await page.getByRole('button', { name: 'Abrir chat' }).click();
    await page.getByRole('button', { name: 'Iniciar chat' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'webchat-es');
    await page.evaluate(() => document.querySelector('sb-webchat')!.setAttribute('lang', 'fr-CA'));
    await page.getByRole('button', { name: 'Commencer' }).waitFor();

    const board = await browser.context.newPage();
    await board.goto(`${pages.url}/wallboard.html#key=${f.t.adminToken}&queues=${f.queueId}`);
    await board.evaluate(() => document.querySelector('sb-wallboard')!.setAttribute('lang', 'es'));
    await board.getByText('Nivel de servicio').waitFor();
    await board.getByText('En directo').waitFor();
    await screenshot(board, 'wallboard-es');

    const french = await launchChromium({ locale: 'fr-FR' });
    try {
      const visit = await french.context.newPage();
      await visit.goto(pages.url);
      await visit.getByRole('button', { name: 'Ouvrir le clavardage' }).click();
      await visit.getByRole('button', { name: 'Commencer' }).waitFor();
    } finally {
      await french.close();
    }
  });

  it('offers the out-of-hours form when the campaign is closed, and keeps the message for the opening', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Montreal' }).format(new Date());
    const hours = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, opens: '00:00', closes: '23:59' }));
    const closed = await floor(api, { agents: 1, campaign: { openingHours: hours, holidays: [{ date: today, name: 'Closed' }], outOfHoursAction: 'LEAVE_MESSAGE', outOfHoursMessage: 'Back on Monday.' } });
    const open = options.widgetKey;
    options.widgetKey = (await api.ok('mutation($c: ID!, $o: [String!]!) { createWidgetKey(campaignId: $c, allowedOrigins: $o) { key } }', { c: closed.campaignId, o: [pages.url] }, closed.t.adminToken)).createWidgetKey.key;
    try {
      const page = await browser.context.newPage();
      await page.goto(pages.url);
      await page.getByRole('button', { name: 'Open chat' }).click();
      const widget = chat(page);
      await widget.getByText('Leave us a message and we will answer when we open.').waitFor();
      await widget.getByText('Back on Monday.').waitFor();
      await widget.getByLabel('E-mail (so we can answer)').fill('zoe@example.com');
      await widget.getByLabel('Message').fill('Do you repair e-bikes?');
      await widget.getByRole('button', { name: 'Leave message' }).click();
      await widget.getByText('Thank you, your message is saved.').waitFor();
      const kept = await api.ok('{ interactions(filter: { state: QUEUED }) { edges { node { messages { edges { node { body } } } } } } }', {}, closed.t.adminToken);
      assert.match(kept.interactions.edges[0].node.messages.edges[0].node.body, /^Do you repair e-bikes\?/);
    } finally {
      options.widgetKey = open;
    }
  });

  it('tells a website that is not allowed, instead of failing silently', async () => {
    const other = await servePages({ api: api.url, widgetKey: options.widgetKey });
    try {
      const page = await browser.context.newPage();
      await page.goto(other.url);
      await page.getByRole('button', { name: 'Open chat' }).click();
      await page.locator('sb-webchat').getByText('Chat is not available on this website.').waitFor();
    } finally {
      await other.close();
    }
  });
});

async function until(check: () => boolean, ms = 10_000) {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
