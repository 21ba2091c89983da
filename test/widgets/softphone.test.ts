/**
 * An agent works in the softphone of the example agent desktop (real Chromium with fake media
 * devices): signs in, goes AVAILABLE, gets a visitor's chat offered as a toast, accepts it (the
 * host page gets the screen pop-up), chats, and closes it with a disposition.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../../api/src/testing/harness.js';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { servePages, type PagesServer } from '../../examples/widget-pages/serve.js';
import { ensureWidgetsBuilt } from '../../widgets/build.js';
import { launchChromium, screenshot, seriousViolations, type Browser } from './browser.js';

const RECORD_EVENTS = `window.__events = [];
for (const type of ['sb-signed-in', 'sb-agent-state', 'sb-offer', 'sb-screen-pop', 'sb-interaction-closed', 'sb-signed-out']) {
  document.addEventListener(type, (e) => window.__events.push({ type, detail: JSON.parse(JSON.stringify(e.detail ?? null)) }));
}`;

describe('softphone in Chromium', () => {
  let api: TestApi;
  let f: Floor;
  let pages: PagesServer;
  let browser: Browser;
  const options = { api: '', widgetKey: '' };

  before(async () => {
    await ensureWidgetsBuilt();
    api = await startTestApi({ config: { routingSweepSeconds: 1 } });
    options.api = api.url;
    pages = await servePages(options);
    f = await floor(api, { agents: 1, available: false, campaign: { screenPopUrlTemplate: `${pages.url}/crm?name={customer.name}&interaction={interaction.id}` } });
    options.widgetKey = (await api.ok('mutation($c: ID!, $o: [String!]!) { createWidgetKey(campaignId: $c, allowedOrigins: $o) { key } }', { c: f.campaignId, o: [pages.url] }, f.t.adminToken)).createWidgetKey.key;
    browser = await launchChromium({ media: true });
  });
  after(async () => {
    await browser?.close();
    await pages?.close();
    await api?.stop();
  });

  /** The visitor's side, through the public visitor API from the website's origin. */
  const visitor = async (query: string, variables: Record<string, unknown>) => {
    const r = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', origin: pages.url }, body: JSON.stringify({ query, variables }) });
    const body = (await r.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  it('signs in, goes available, takes an offered chat with a screen pop-up, chats and closes it with a disposition', async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(RECORD_EVENTS);
    await page.goto(`${pages.url}/agent-desktop.html`);
    const phone = page.locator('sb-softphone');
    await phone.getByLabel('E-mail').fill(f.agents[0].email);
    await phone.getByLabel('Password').fill(f.agents[0].password);
    await phone.getByLabel('Organisation (optional)').fill(f.t.slug);
    assert.deepEqual(await seriousViolations(page), [], 'sign-in form');
    await screenshot(phone, 'softphone-sign-in');
    await phone.getByRole('button', { name: 'Sign in' }).click();

    await phone.getByLabel('My state').selectOption('AVAILABLE');
    await page.waitForFunction(() => (window as any).__events.some((e: any) => e.type === 'sb-agent-state' && e.detail.status === 'AVAILABLE'));
    assert.equal(await phone.locator('sb-dialpad').count(), 0, 'no voice controls without telephony');
    assert.equal(await phone.getByRole('button', { name: 'Call' }).count(), 0);

    const started = await visitor('mutation($k: String!) { startChat(widgetKey: $k, input: { name: "Zoë & Co", message: "Is my bike ready?" }) { token } }', { k: options.widgetKey });
    const token = started.startChat.token;
    const toast = phone.locator('[part="toast"]');
    await toast.getByText('New webchat from Zoë & Co').waitFor();
    assert.deepEqual(await seriousViolations(page), [], 'offer toast');
    await screenshot(phone, 'softphone-offer');
    await toast.getByRole('button', { name: 'Accept' }).click();

    const conversation = phone.locator('[part="conversation"]');
    await conversation.getByText('Is my bike ready?').waitFor();
    const interactionId = await conversation.getAttribute('data-interaction');
    const popUrl = `${pages.url}/crm?name=Zo%C3%AB%20%26%20Co&interaction=${interactionId}`;
    await page.locator('#screen-pop-url').filter({ hasText: popUrl }).waitFor(); // the host page handled sb-screen-pop
    await page.waitForFunction(() => (window as any).__events.some((e: any) => e.type === 'sb-agent-state' && e.detail.status === 'BUSY'));
    assert.equal(await phone.getByLabel('My state').evaluate((s: HTMLSelectElement) => s.selectedOptions[0].textContent), 'Busy');

    await phone.getByLabel('Reply to the customer').fill('Yes, since this morning.');
    await phone.getByLabel('Reply to the customer').press('Enter');
    await conversation.getByText('Yes, since this morning.').waitFor();
    const seen = await visitor('query($t: String!) { visitorConversation(token: $t) { agentName messages { sender body } } }', { t: token });
    assert.deepEqual(seen.visitorConversation.messages.at(-1), { sender: 'AGENT', body: 'Yes, since this morning.' });
    await visitor('mutation($t: String!) { sendVisitorMessage(token: $t, body: "Great, <b>thanks</b>!") { id } }', { t: token });
    await conversation.getByText('Great, <b>thanks</b>!').waitFor();
    assert.deepEqual(await seriousViolations(page), [], 'conversation');
    await screenshot(phone, 'softphone-conversation');

    await conversation.getByRole('button', { name: 'End', exact: true }).click();
    await conversation.getByLabel('Outcome').selectOption({ label: 'Done' });
    await conversation.getByLabel('Notes').fill('Picked up tomorrow');
    await conversation.getByRole('button', { name: 'Close interaction' }).click();
    await phone.getByText('Nothing to handle right now.').waitFor();

    const closed = await api.ok('query($id: ID!) { interaction(id: $id) { state notes disposition { code } } }', { id: interactionId }, f.t.adminToken);
    assert.deepEqual(closed.interaction, { state: 'CLOSED', notes: 'Picked up tomorrow', disposition: { code: 'DONE' } });
    const events: { type: string; detail: any }[] = await page.evaluate(() => (window as any).__events);
    assert.deepEqual(events.filter((e) => e.type === 'sb-screen-pop').map((e) => e.detail), [{ url: popUrl, interactionId }]);
    assert.deepEqual(events.filter((e) => e.type === 'sb-interaction-closed').map((e) => e.detail), [{ interactionId, dispositionId: f.dispositionId }]);
    assert.ok(events.some((e) => e.type === 'sb-signed-in'));

    await page.evaluate(() => document.querySelector('sb-softphone')!.setAttribute('lang', 'es'));
    await phone.getByText('Mi estado').waitFor();
    await screenshot(phone, 'softphone-es');

    await phone.getByRole('button', { name: 'Cerrar sesión' }).click();
    await phone.getByRole('button', { name: 'Iniciar sesión' }).waitFor();
  });

  it('takes the token from the host page, and pauses with a reason', async () => {
    const token = (await api.ok('mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', { i: { email: f.agents[0].email, password: f.agents[0].password, tenant: f.t.slug } })).signIn.accessToken;
    const page = await browser.context.newPage();
    await page.goto(`${pages.url}/agent-desktop.html`);
    await page.evaluate((t) => (document.querySelector('sb-softphone')!.token = t), token);
    const phone = page.locator('sb-softphone');
    await phone.getByRole('heading', { name: 'agent 0' }).waitFor();
    assert.equal(await phone.getByLabel('Password').count(), 0, 'no sign-in form');
    await phone.getByLabel('My state').selectOption('PAUSED');
    await phone.getByLabel('Pause reason').fill('Training');
    await phone.getByRole('button', { name: 'Apply' }).click();
    for (let i = 0; i < 50; i++) {
      const state = (await api.ok('{ myAgentState { status pauseReason } }', {}, token)).myAgentState;
      if (state.pauseReason === 'Training') return assert.deepEqual(state, { status: 'PAUSED', pauseReason: 'Training' });
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('the pause reason never reached the API');
  });
});
