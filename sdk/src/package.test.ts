/**
 * The package as integrators get it: built by `npm run build` (tsc, without Node's types), imported
 * by plain Node (no TypeScript loader) through its exports map, type-checked by a consumer, and
 * bundled for browsers by esbuild, then run against a real API in a context that has only what
 * a browser page has (no `process`, no `require`, no Node modules).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { build } from 'esbuild';
import { startTestApi, type TestApi } from '../../api/src/testing/harness.js';
import { createTenant } from '../../api/src/testing/fixtures.js';
import { buildSdk } from '../scripts/build.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

describe('@switchboard/sdk as a published package', () => {
  let api: TestApi;
  let work: string;
  let pkg: string;
  let apiKey: string;
  let tenantSlug: string;

  before(async () => {
    api = await startTestApi();
    const t = await createTenant(api);
    tenantSlug = t.slug;
    apiKey = (await api.ok('mutation { createApiKey(input: { name: "pkg", scopes: [TENANT_READ] }) { secret } }', {}, t.adminToken)).createApiKey.secret;
    // Inside the repository (its node_modules hold the dependencies), in an ignored folder.
    await mkdir(join(root, '.test-data'), { recursive: true });
    work = await mkdtemp(join(root, '.test-data', 'sdk-package-'));
    pkg = await buildSdk(join(work, 'node_modules', '@switchboard', 'sdk'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
    await api.stop();
  });

  it('has an exports map with types, and nothing but the built files', async () => {
    const manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8'));
    assert.equal(manifest.type, 'module');
    assert.deepEqual(manifest.exports['.'], { types: './index.d.ts', import: './index.js', default: './index.js' });
    assert.ok(manifest.dependencies['graphql-ws']);
    assert.ok(manifest.peerDependencies.graphql);
    assert.equal(manifest.private, undefined, 'the built package can be published');
    for (const file of ['index.js', 'index.d.ts', 'generated/graphql.js', 'generated/graphql.d.ts', 'README.md', 'LICENSE']) {
      await readFile(join(pkg, file)); // exists
    }
    await assert.rejects(readFile(join(pkg, 'client.test.js')), 'tests are not shipped');
  });

  it('is imported by plain Node through its exports map and talks to the API', async () => {
    const script = join(work, 'node-check.mjs');
    await writeFile(script, `
      import { createClient, SwitchboardError, TenantDocument } from '@switchboard/sdk';
      const client = createClient({ url: process.env.URL, apiKey: process.env.KEY });
      const { tenant } = await client.request(TenantDocument);
      let code;
      try { await createClient({ url: process.env.URL, apiKey: 'sbk_wrong' }).tenant(); } catch (e) { code = e instanceof SwitchboardError && e.code; }
      console.log(JSON.stringify({ slug: tenant.slug, code }));
    `);
    const { stdout } = await run(process.execPath, [script], { env: { ...process.env, URL: `${api.url}/graphql`, KEY: apiKey }, cwd: work });
    assert.deepEqual(JSON.parse(stdout), { slug: tenantSlug, code: 'UNAUTHENTICATED' });
  });

  it("gives a TypeScript consumer the operations' types", async () => {
    const consumer = join(work, 'consumer.ts');
    await writeFile(consumer, `
      import { createClient, isSwitchboardError, type InteractionEvent } from '@switchboard/sdk';
      const client = createClient({ url: 'https://api.example/graphql', apiKey: 'sbk_x' });
      export async function latest(contactId: string): Promise<string[]> {
        const states: string[] = [];
        for await (const i of client.contactInteractions(contactId)) states.push(i.state);
        return states;
      }
      export const body = (e: InteractionEvent): string | undefined => e.message?.body;
      // @ts-expect-error: a contact note needs a body
      client.addContactNote('id');
      export const coded = (e: unknown) => isSwitchboardError(e, 'NOT_FOUND');
    `);
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
    const config = join(work, 'tsconfig.json');
    await writeFile(config, JSON.stringify({
      compilerOptions: { noEmit: true, strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', lib: ['es2023', 'dom'], types: [] },
      files: [consumer],
    }));
    const result = await run(process.execPath, [tsc, '-p', config], { cwd: work }).catch((e: { stdout: string }) => ({ stdout: e.stdout, failed: true }));
    assert.ok(!('failed' in result), `the consumer does not type-check:\n${result.stdout}`);
  });

  it('bundles for browsers and runs with only what a page has', async () => {
    const bundle = await build({
      entryPoints: [join(pkg, 'index.js')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'Switchboard',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(bundle.metafile.inputs);
    assert.ok(!inputs.some((i) => i.startsWith('node:') || /\/(ws|undici)\//.test(i)), `Node-only inputs: ${inputs.join(', ')}`);
    const code = bundle.outputFiles[0].text;

    // A page served by the API: relative URLs resolve against its address, as in a browser.
    const location = { href: `${api.url}/agent/` };
    const page = vm.createContext({
      location,
      fetch: (input: string, init?: RequestInit) => fetch(new URL(input, location.href), init),
      WebSocket: globalThis.WebSocket,
      URL, AbortController, AbortSignal, Headers, Request, Response, TextEncoder, TextDecoder, Event, EventTarget,
      setTimeout, clearTimeout, queueMicrotask, console,
    });
    vm.runInContext(code, page);
    assert.equal(vm.runInContext('typeof process + typeof require', page), 'undefinedundefined');
    const result = await vm.runInContext(`(async () => {
      const client = Switchboard.createClient({ url: '/graphql', apiKey: ${JSON.stringify(apiKey)} });
      const tenant = await client.tenant();
      let socketError;
      try { await client.visitorEvents('no-such-chat').next(); } catch (e) { socketError = e.name + ' ' + e.code; }
      await client.close();
      return { slug: tenant.slug, socketError };
    })()`, page);
    assert.deepEqual({ ...result }, { slug: tenantSlug, socketError: 'SwitchboardError NOT_FOUND' });
  });
});
