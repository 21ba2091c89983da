/**
 * The softphone renews its SIP credentials before they expire: with a 12-second lifetime the
 * browser asks the API again, the previous password stops working, and the widget registers
 * again over a new WebSocket with the new password, so the agent stays reachable past the first
 * credentials' expiry.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { signIn } from '../../api/src/testing/fixtures.js';
import { startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { servePages, type PagesServer } from '../../examples/widget-pages/serve.js';
import { ensureWidgetsBuilt } from '../../widgets/build.js';
import { launchChromium, type Browser } from './browser.js';

const skip = await telephonySkipReason();

describe('softphone SIP credentials renewal in Chromium', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let pages: PagesServer;
  let browser: Browser;
  let f: Floor;
  const options = { api: '', widgetKey: '' };

  before(async () => {
    await ensureWidgetsBuilt();
    pages = await servePages(options);
    api = await startTelephonyTestApi({ wsOrigins: [pages.url], sipCredentialTtlSeconds: 12 });
    options.api = api.url;
    f = await floor(api, { kind: 'VOICE', agents: 1, available: false, campaign: { type: 'VOICE_INBOUND' } });
    browser = await launchChromium({ webrtc: true });
  });
  after(async () => {
    await browser?.close();
    await pages?.close();
    await api?.stop();
  });

  const sql = <T>(query: string) => api.running.app.orm.em.fork().getConnection().execute<T[]>(query, [f.agents[0].id]);
  const issuedUntil = async () => new Date((await sql<{ expires_at: string | Date }>('select expires_at from kamailio.subscriber where user_id = ?'))[0]!.expires_at).getTime();
  const contacts = async () => (await sql<{ contact: string }>('select contact from sip_registration where user_id = ?')).map((r) => r.contact);

  it('asks for new credentials before expiresAt and registers again with them', async () => {
    const agentToken = await signIn(api, f.agents[0].email, f.agents[0].password, f.t.slug);
    const registered = async () => (await api.ok('{ myAgentState { sipRegistered } }', {}, agentToken)).myAgentState.sipRegistered as boolean;
    const page = await browser.context.newPage();
    await page.goto(`${pages.url}/agent-desktop.html`);
    const phone = page.locator('sb-softphone');
    await phone.getByLabel('E-mail').fill(f.agents[0].email);
    await phone.getByLabel('Password').fill(f.agents[0].password);
    await phone.getByLabel('Organisation (optional)').fill(f.t.slug);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await waitFor('the first registration', registered);
    const first = { until: await issuedUntil(), contacts: await contacts() };
    assert.equal(first.contacts.length, 1);

    const renewed = await waitFor('new credentials and a registration with them', async () => {
      const until = await issuedUntil();
      const now = await contacts();
      return until > first.until && now.some((c) => !first.contacts.includes(c)) && (await registered()) && { until, now };
    }, 30_000);
    assert.ok(renewed.until - first.until > 0, 'issued again');

    await waitFor('the first credentials expired', async () => Date.now() > first.until + 1000, 20_000);
    await waitFor('still registered after that', registered);
    await phone.locator('[part="dial"]').waitFor();
    await waitFor('the first WebSocket contact gone', async () => !(await contacts()).includes(first.contacts[0]!));
  });
});
