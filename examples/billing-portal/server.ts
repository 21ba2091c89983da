/**
 * An administrator's billing page, served by a small Node server that talks to Switchboard only
 * through `@switchboard/sdk`: sign in, see the plan, seats and invoices, open Stripe Checkout to buy
 * a plan or the Stripe Billing Portal to manage it. Run it against your Switchboard:
 *
 *   SWITCHBOARD_URL=http://127.0.0.1:4000/graphql npx node --import tsx examples/billing-portal/server.ts
 *
 * then open http://127.0.0.1:4100 (PORT changes it). Tokens stay on this server, in memory.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BillingDocument,
  createClient,
  isSwitchboardError,
  OpenBillingPortalDocument,
  StartBillingCheckoutDocument,
  type BillingQuery,
  type LicenceKind,
} from '@switchboard/sdk';

const apiUrl = process.env.SWITCHBOARD_URL ?? 'http://127.0.0.1:4000/graphql';
const sessions = new Map<string, string>(); // cookie -> access token

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;

function page(body: string, message?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Billing</title>
<style>body{font:16px system-ui;margin:2rem auto;max-width:44rem}table{border-collapse:collapse}td,th{padding:.3rem .8rem;text-align:left}
.error{color:#a00}form{margin:1rem 0}</style></head><body><h1>Billing</h1>
${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}${body}</body></html>`;
}

const signInForm = `<form method="post" action="/sign-in">
<label>Tenant <input name="tenant" required></label> <label>E-mail <input name="email" type="email" required></label>
<label>Password <input name="password" type="password" required></label> <button>Sign in</button></form>`;

function planView(b: BillingQuery['billing']): string {
  const rows = b.invoices
    .map((i) => `<tr><td>${esc(i.number)}</td><td>${esc(i.status)}</td><td>${money(i.amountDue, i.currency)}</td><td>${i.hostedInvoiceUrl ? `<a href="${esc(i.hostedInvoiceUrl)}">view</a>` : ''}</td></tr>`)
    .join('');
  const buy = `<form method="post" action="/checkout"><label>Kind <select name="kind"><option>VOICE</option><option>OMNI</option></select></label>
<label>Seats <input name="seats" type="number" min="1" value="5"></label> <button>Buy with Stripe Checkout</button></form>`;
  return `<p id="plan">Plan: <strong>${esc(b.plan ?? 'none')}</strong>, ${b.seatsUsed}/${b.seatsLicensed} agents signed in,
subscription ${esc(b.status)}${b.cancelAtPeriodEnd ? ` (ends ${esc(b.currentPeriodEnd)})` : ''}; ${money(b.monthlyAmount, b.currency)} a month.</p>
${b.nextInvoice ? `<p>Next invoice: ${money(b.nextInvoice.amountDue, b.nextInvoice.currency)}${b.nextInvoice.date ? ` on ${esc(b.nextInvoice.date)}` : ''}</p>` : ''}
${rows ? `<table><tr><th>Invoice</th><th>Status</th><th>Amount</th><th></th></tr>${rows}</table>` : ''}
${b.status === 'NONE' || b.status === 'CANCELED' ? buy : '<form method="post" action="/portal"><button>Manage in the billing portal</button></form>'}`;
}

async function form(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const cookie = /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
  const token = cookie ? sessions.get(cookie) : undefined;
  const client = createClient({ url: apiUrl, getToken: () => token });
  const html = (status: number, body: string): void => void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  const redirect = (to: string, headers: Record<string, string> = {}): void => void res.writeHead(303, { location: to, ...headers }).end();
  try {
    if (req.method === 'POST' && req.url === '/sign-in') {
      const f = await form(req);
      const auth = await client.signIn({ email: f.get('email') ?? '', password: f.get('password') ?? '', tenant: f.get('tenant') ?? undefined });
      const sid = randomBytes(16).toString('hex');
      sessions.set(sid, auth.accessToken);
      return redirect('/', { 'set-cookie': `sid=${sid}; HttpOnly; SameSite=Lax; Path=/` });
    }
    if (!token) return html(200, page(signInForm));
    if (req.method === 'POST' && req.url === '/checkout') {
      const f = await form(req);
      const plan = { kind: (f.get('kind') ?? 'VOICE') as LicenceKind, seats: Number(f.get('seats') ?? 0) };
      const { startBillingCheckout } = await client.request(StartBillingCheckoutDocument, { plan });
      return redirect(startBillingCheckout.url);
    }
    if (req.method === 'POST' && req.url === '/portal') {
      const { openBillingPortal } = await client.request(OpenBillingPortalDocument);
      return redirect(openBillingPortal.url);
    }
    const { billing } = await client.request(BillingDocument, { invoices: 10 });
    return html(200, page(planView(billing)));
  } catch (err) {
    if (!isSwitchboardError(err)) throw err;
    // e.g. LICENCE_POLICY_VIOLATION for too few seats, FORBIDDEN for a non-administrator
    return html(err.code === 'UNAUTHENTICATED' ? 401 : 400, page(token ? '<p><a href="/">Back</a></p>' : signInForm, `${err.code}: ${err.message}`));
  } finally {
    await client.close();
  }
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(err);
    res.writeHead(500).end('internal error');
  });
});
server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1', () => {
  console.log(`billing page on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
