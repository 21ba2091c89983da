import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { SaxesParser } from 'saxes';
import { codeOf, startTestApi, wsReady, type TestApi } from '../testing/harness.js';

/** Parses `xml` with a conforming XML 1.0 parser (saxes: well-formedness and character ranges); throws at the first fault. */
function parseXml(xml: string): string[] {
  const elements: string[] = [];
  const parser = new SaxesParser();
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => elements.push(tag.name));
  parser.write(xml).close();
  return elements;
}

describe('HTTP hardening: security headers, slow clients, the Atom feed', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ config: { httpHeadersTimeoutMs: 600, httpRequestTimeoutMs: 600 } });
  });
  after(() => api.stop());

  it('sends CSP, nosniff and frame protection on every HTML page; widget bundles keep open CORS', async () => {
    for (const path of ['/status', '/status/confirm?token=nope']) {
      const page = await fetch(`${api.url}${path}`);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.doesNotMatch(csp, /script-src/, 'no script runs on these pages');
      assert.equal(page.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer', path);
    }
    const landing = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    assert.doesNotMatch(landing.headers.get('content-type') ?? '', /html/, 'no landing page that loads scripts from elsewhere');
    const json = await fetch(`${api.url}/healthz`);
    assert.equal(json.headers.get('x-content-type-options'), 'nosniff');
    const widget = await fetch(`${api.url}/widgets/webchat.js`, { headers: { origin: 'https://shop.example' } });
    assert.equal(widget.headers.get('access-control-allow-origin'), '*');
    assert.equal(widget.headers.get('content-security-policy'), null, 'a script, not a page');
  });

  it('disconnects a client that sends half a request header, after HTTP_HEADERS_TIMEOUT_MS; open WebSockets stay', async (t) => {
    const client = api.ws();
    await wsReady(client, 0);
    const started = Date.now();
    const socket = connect(Number(new URL(api.url).port), '127.0.0.1');
    const silent = connect(Number(new URL(api.url).port), '127.0.0.1');
    t.after(() => void (socket.destroy(), silent.destroy()));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    await new Promise<void>((resolve, reject) => {
      socket.once('close', () => resolve());
      socket.once('error', reject);
      setTimeout(() => reject(new Error('the half-open connection is still held after 10 s')), 10_000).unref();
    });
    const held = Date.now() - started;
    assert.ok(held >= 500, `closed after ${held} ms, not before the timeout`);
    assert.match(answer, /^$|^HTTP\/1\.1 408/, 'no answer, or 408 Request Timeout');

    await new Promise<void>((resolve, reject) => {
      silent.once('close', () => resolve());
      silent.once('error', reject);
      setTimeout(() => reject(new Error('a connection that sends nothing is still held after 10 s')), 10_000).unref();
    });

    // the WebSocket opened before both timeouts is still served
    const answered = await new Promise<unknown>((resolve, reject) =>
      client.subscribe({ query: '{ __typename }' }, { next: resolve, error: reject, complete: () => {} }),
    );
    assert.deepEqual(answered, { data: { __typename: 'Query' } });
  });

  it('keeps the Atom feed valid XML 1.0 when stored incident text holds control characters', async () => {
    const component = (await api.ok('mutation { createStatusComponent(input: { name: "Voice", position: 1 }) { id } }', {}, api.operatorToken)).createStatusComponent.id;
    const OPEN = 'mutation($t: String!, $c: [ID!]!) { openStatusIncident(input: { title: $t, message: "Investigating", impact: MAJOR_OUTAGE, componentIds: $c }) { id } }';
    const id = (await api.ok(OPEN, { t: 'Calls fail', c: [component] }, api.operatorToken)).openStatusIncident.id;
    // text stored before the API refused control characters
    const db = api.running.app.orm.em.getConnection();
    await db.execute("update status_incident set title = 'Calls ' || chr(1) || 'fail' || chr(27) || '[0m' where id = ?", [id]);
    await db.execute("update status_incident_update set message = 'Invest' || chr(8) || 'igating ' || chr(11) || '& <more>' where incident_id = ?", [id]);

    const feed = await (await fetch(`${api.url}/status/feed.atom`)).text();
    assert.ok(parseXml(feed).includes('entry'));
    assert.match(feed, /<title>\[INVESTIGATING\] Calls fail\[0m<\/title>/);
    assert.match(feed, /Investigating &amp; &lt;more&gt;/);
    const page = await (await fetch(`${api.url}/status`)).text();
    assert.doesNotMatch(page, /[\u0001\u0008\u000b\u001b]/);
    assert.equal(codeOf(await api.gql(OPEN, { t: 'Calls \u0001fail', c: [component] }, api.operatorToken)), 'BAD_USER_INPUT', 'new text with them is refused');
  });
});
