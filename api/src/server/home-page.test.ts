import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../testing/harness.js';
import { HTML_SECURITY_HEADERS } from './http-hardening.js';

describe('GET / in a browser', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.stop());

  it('is an HTML page of links with the HTML security headers, not a JSON 404', async () => {
    const page = await fetch(`${api.url}/`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) assert.equal(page.headers.get(name), value, name);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    const html = await page.text();
    assert.doesNotMatch(html, /<script/i, 'the CSP lets no script run: the page has none');
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    for (const path of ['/graphql', '/healthz', '/readyz', '/status', '/widgets/webchat.js', '/widgets/softphone.js', '/widgets/wallboard.js', 'http://127.0.0.1:8080/agent-desktop.html']) {
      assert.ok(links.includes(path), `links to ${path}`);
    }
    for (const path of ['docs/architecture.md', 'widgets/README.md', 'README.md']) assert.ok(html.includes(path), `names ${path}`);
    // every link to this API leads somewhere (GET /graphql without a query is a GraphQL error, not a 404)
    for (const path of links.filter((l) => l.startsWith('/'))) {
      const answer = await fetch(`${api.url}${path}`);
      assert.notEqual(answer.status, 404, path);
      await answer.arrayBuffer();
    }
  });

  it('GET queries work with the CSRF header the page and README name, and are refused without it', async () => {
    const url = `${api.url}/graphql?query=${encodeURIComponent('{ __typename }')}`;
    const refused = await fetch(url);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /apollo-require-preflight/);
    const ok = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { data: { __typename: 'Query' } });
  });
});
