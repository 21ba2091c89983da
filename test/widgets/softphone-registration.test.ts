/**
 * Why the phone did not register, told to the agent: the example agent desktop served from an
 * origin SIP_WS_ORIGINS does not allow (Kamailio would answer its WebSocket handshake with 403,
 * which a browser cannot see) shows the reason in en/es/fr instead of a bare "Phone not
 * registered". With SIP_WS_ORIGINS unset, the shipped example pages' origin is allowed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { startTelephonyTestApi, telephonySkipReason, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { servePages, type PagesServer } from '../../examples/widget-pages/serve.js';
import { ensureWidgetsBuilt } from '../../widgets/build.js';
import { launchChromium, screenshot, seriousViolations, type Browser } from './browser.js';

const skip = await telephonySkipReason();

describe('softphone registration failures in Chromium', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let pages: PagesServer;
  let browser: Browser;
  let f: Floor;
  let page: Page;
  const options = { api: '', widgetKey: '' };

  before(async () => {
    await ensureWidgetsBuilt();
    pages = await servePages(options); // on a free port: not an origin SIP_WS_ORIGINS's default allows
    api = await startTelephonyTestApi({ wsOrigins: [] }); // SIP_WS_ORIGINS unset
    options.api = api.url;
    f = await floor(api, { kind: 'VOICE', agents: 1, available: false, campaign: { type: 'VOICE_INBOUND' } });
    browser = await launchChromium();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await pages?.close();
    await api?.stop();
  });

  const issue = async (origin: string) => {
    const agentToken = (await api.ok<{ signIn: { accessToken: string } }>('mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', {
      i: { email: f.agents[0].email, password: f.agents[0].password, tenant: f.t.slug },
    })).signIn.accessToken;
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agentToken}`, origin },
      body: JSON.stringify({ query: 'mutation { issueSipCredentials { wsUrl } }' }),
    });
    return (await response.json()) as { data?: { issueSipCredentials: { wsUrl: string } }; errors?: { extensions: { code: string }; message: string }[] };
  };

  it('issues SIP credentials to the example pages\' default origin and refuses another page with ORIGIN_NOT_ALLOWED', async () => {
    for (const origin of ['http://127.0.0.1:8080', 'http://localhost:8080', api.url]) {
      const ok = await issue(origin);
      assert.equal(ok.errors, undefined, `${origin}: ${JSON.stringify(ok.errors)}`);
      assert.match(ok.data!.issueSipCredentials.wsUrl, /^ws:/);
    }
    const refused = await issue(pages.url);
    assert.equal(refused.errors?.[0].extensions.code, 'ORIGIN_NOT_ALLOWED');
    assert.match(refused.errors![0].message, /SIP_WS_ORIGINS/);
    assert.equal(refused.data, null);
  });

  it('tells the agent on a page of another origin that its address is not allowed for phones, in en, es and fr', async () => {
    await page.goto(`${pages.url}/agent-desktop.html`);
    const phone = page.locator('sb-softphone');
    await phone.getByLabel('E-mail').fill(f.agents[0].email);
    await phone.getByLabel('Password').fill(f.agents[0].password);
    await phone.getByLabel('Organisation (optional)').fill(f.t.slug);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    const problem = phone.locator('[part="phone-problem"]');
    await problem.waitFor({ timeout: 15_000 });
    assert.equal(await problem.getAttribute('role'), 'alert');
    assert.equal((await problem.textContent())?.trim(), 'Phone not registered: this page’s address is not allowed for phones (SIP_WS_ORIGINS)');
    assert.equal(await phone.locator('[part="dial"]').count(), 0, 'no dial pad without a registered phone');
    assert.deepEqual(await seriousViolations(page), [], 'registration problem');
    await screenshot(phone, 'softphone-registration-origin-refused');

    for (const [lang, text] of [
      ['es', 'Teléfono no registrado: la dirección de esta página no está permitida para teléfonos (SIP_WS_ORIGINS)'],
      ['fr', 'Téléphone non enregistré : l’adresse de cette page n’est pas autorisée pour les téléphones (SIP_WS_ORIGINS)'],
    ]) {
      await phone.evaluate((el, l) => el.setAttribute('lang', l), lang);
      await problem.filter({ hasText: text }).waitFor();
      await screenshot(phone, `softphone-registration-origin-refused-${lang}`);
    }
  });
});
