/**
 * `npm run bench:widgets`: each widget's bundle size (raw and gzip) and its time to first render
 * in Chromium, against a baseline measured in the same run: a hand-written custom element (no
 * Lit, a few lines) loaded the same way. Time to first render is from navigation start to the
 * element's first completed render (`updateComplete` for the widgets, `connectedCallback` for the
 * baseline), median (nearest-rank p50) of BENCH_RUNS (10) fresh page loads with no HTTP cache. The bundles are
 * served by a plain local HTTP server, so no database is needed; what the widgets fetch from the
 * API afterwards is not part of the first render. Nothing here asserts timings.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WIDGETS, distDir, ensureWidgetsBuilt } from '../../widgets/build.js';
import { launchChromium } from '../widgets/browser.js';
import { numberOption, percentile } from './bench-kit.js';

const RUNS = numberOption('BENCH_RUNS', 10, { min: 1, whole: true });
const BUDGET_WEBCHAT_GZIP = 30 * 1024;
const TAGS: Record<string, string> = { webchat: 'sb-webchat widget-key="wk_bench"', softphone: 'sb-softphone', wallboard: 'sb-wallboard token="bench"', baseline: 'sb-baseline' };

const BASELINE = `customElements.define('sb-baseline', class extends HTMLElement {
  connectedCallback() {
    this.attachShadow({ mode: 'open' }).innerHTML = '<style>button{border-radius:50%}</style><button aria-label="Open chat">Chat</button>';
  }
});`;

const page = (name: string) => {
  const tag = TAGS[name];
  const element = tag.split(' ')[0];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>
<script type="module">
  import '/widgets/${name}.js';
  await customElements.whenDefined('${element}');
  const el = document.querySelector('${element}');
  if (el.updateComplete) await el.updateComplete;
  window.firstRender = performance.now();
</script></head><body><${tag}></${element}></body></html>`;
};

await ensureWidgetsBuilt();
const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://x');
  const headers = { 'cache-control': 'no-store' };
  const bench = /^\/page\/(\w+)$/.exec(url.pathname)?.[1];
  if (bench) return void response.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(page(bench));
  const script = /^\/widgets\/(\w+)\.js$/.exec(url.pathname)?.[1];
  if (script === 'baseline') return void response.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(BASELINE);
  if (script && (WIDGETS as readonly string[]).includes(script)) {
    return void response.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(await readFile(join(distDir, `${script}.js`)));
  }
  response.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const browser = await launchChromium();

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
async function firstRender(name: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const tab = await browser.context.newPage();
    await tab.goto(`${origin}/page/${name}`);
    const t = (await tab.waitForFunction(() => (window as unknown as { firstRender?: number }).firstRender)).jsonValue();
    if (i > 0) times.push((await t) as number); // the first load warms the browser up
    await tab.close();
  }
  return median(times);
}

try {
  const baseline = await firstRender('baseline');
  console.log(`Widgets: bundle size and time to first render in Chromium (median of ${RUNS} loads)`);
  console.log(`  baseline (hand-written custom element, ${BASELINE.length} B): first render ${baseline.toFixed(1)} ms`);
  for (const name of WIDGETS) {
    const code = await readFile(join(distDir, `${name}.js`));
    const gzip = gzipSync(code, { level: 9 }).length;
    const ms = await firstRender(name);
    const budget = name === 'webchat' ? ` (budget 30.0 KB: ${gzip <= BUDGET_WEBCHAT_GZIP ? 'within' : 'OVER'})` : '';
    console.log(
      `  ${name.padEnd(9)} ${(code.length / 1024).toFixed(1).padStart(6)} KB raw ${(gzip / 1024).toFixed(1).padStart(5)} KB gzip${budget}; first render ${ms.toFixed(1)} ms (${(ms - baseline).toFixed(1)} ms over the baseline)`,
    );
  }
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
