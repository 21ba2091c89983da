/** Runs the billing page the way its README says, against a real API whose Stripe is a local peer. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createTenant } from '../../api/src/testing/fixtures.js';
import { startKit, subscribedTenant, type Kit } from '../../api/src/testing/billing-kit.js';

describe('example: billing-portal', () => {
  let kit: Kit;
  let child: ChildProcess;
  let base: string;
  before(async () => {
    kit = await startKit();
    child = spawn(process.execPath, ['--import', 'tsx', 'examples/billing-portal/server.ts'], {
      env: { ...process.env, SWITCHBOARD_URL: `${kit.api.url}/graphql`, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    base = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`example exited with ${code}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        const m = /on (http:\/\/\S+)/.exec(chunk.toString());
        if (m) resolve(m[1]);
      });
    });
  });
  after(async () => {
    child.kill('SIGTERM');
    await kit.stop();
  });

  async function signedIn(slug: string): Promise<string> {
    const r = await fetch(`${base}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ tenant: slug, email: `admin@${slug}.example`, password: 'admin-password-1' }),
      redirect: 'manual',
    });
    assert.equal(r.status, 303);
    return r.headers.get('set-cookie')!.split(';')[0];
  }
  const post = (path: string, cookie: string, form: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form), redirect: 'manual' });

  it('shows the plan and sends a new administrator to Stripe Checkout', async () => {
    assert.match(await (await fetch(base)).text(), /action="\/sign-in"/);
    const t = await createTenant(kit.api);
    const cookie = await signedIn(t.slug);
    const home = await (await fetch(base, { headers: { cookie } })).text();
    assert.match(home, /Plan: <strong>none<\/strong>, 0\/0 agents signed in,\s+subscription NONE/);
    const tooFew = await post('/checkout', cookie, { kind: 'VOICE', seats: '2' });
    assert.equal(tooFew.status, 400);
    assert.match(await tooFew.text(), /LICENCE_POLICY_VIOLATION: At least 5 seats/);
    const buy = await post('/checkout', cookie, { kind: 'OMNI', seats: '6' });
    assert.equal(buy.status, 303);
    assert.match(buy.headers.get('location')!, /^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_/);
  });

  it('shows a subscribed plan with its invoices and opens the billing portal', async () => {
    const t = await subscribedTenant(kit, { kind: 'VOICE', seats: 7 });
    kit.peer.invoices.push({ id: 'in_x', object: 'invoice', customer: t.customerId, number: 'SB-0042', status: 'paid', amount_due: 20300, amount_paid: 20300, currency: 'usd', created: 1, hosted_invoice_url: 'https://invoice.stripe.test/i/42' });
    const cookie = await signedIn(t.slug);
    const home = await (await fetch(base, { headers: { cookie } })).text();
    assert.match(home, /Plan: <strong>VOICE<\/strong>, 0\/7 agents signed in,\s+subscription ACTIVE; 203.00 USD a month/);
    assert.match(home, /SB-0042.*href="https:\/\/invoice\.stripe\.test\/i\/42"/s);
    const portal = await post('/portal', cookie);
    assert.equal(portal.status, 303);
    assert.match(portal.headers.get('location')!, /^https:\/\/billing\.stripe\.test\/p\/session\//);
    assert.deepEqual(kit.peer.problems, []);
  });
});
