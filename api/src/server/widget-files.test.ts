import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../testing/harness.js';
import { ensureWidgetsBuilt } from '../../../widgets/build.js';

describe('widget files', () => {
  let api: TestApi;
  before(async () => {
    await ensureWidgetsBuilt();
    api = await startTestApi();
  });
  after(() => api.stop());

  it('serves each widget as a JavaScript module any website may load', async () => {
    for (const name of ['webchat', 'softphone', 'wallboard']) {
      const r = await fetch(`${api.url}/widgets/${name}.js`, { headers: { origin: 'https://shop.example' } });
      assert.equal(r.status, 200, name);
      assert.match(r.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      assert.match(await r.text(), new RegExp(`customElements\\.define\\("sb-${name}"`));
    }
  });

  it('answers 404 for anything else under /widgets', async () => {
    for (const path of ['/widgets/other.js', '/widgets/webchat.ts', '/widgets/..%2Fbuild.ts', '/widgets/webchat']) {
      assert.equal((await fetch(`${api.url}${path}`)).status, 404, path);
    }
  });
});
