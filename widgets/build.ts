/**
 * Builds each widget into one self-contained ES module, `widgets/dist/<name>.js` (Lit included),
 * with Vite. `ensureWidgetsBuilt()` builds only when a source file is newer than the bundles, so
 * `npm start` (prestart), the test runner and the browser tests can all call it; the bundles are
 * written to a temporary folder and renamed into place, so concurrent callers never see half a file.
 *
 *   npx node --import tsx widgets/build.ts            build now
 *   npx node --import tsx widgets/build.ts --if-stale  build only when sources changed
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const WIDGETS = ['webchat', 'softphone', 'wallboard'] as const;
export type WidgetName = (typeof WIDGETS)[number];

const here = import.meta.dirname;
export const distDir = join(here, 'dist');
const srcDir = join(here, 'src');

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestSource(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

async function oldestBundle(): Promise<number> {
  try {
    return Math.min(...(await Promise.all(WIDGETS.map(async (w) => (await stat(join(distDir, `${w}.js`))).mtimeMs))));
  } catch {
    return 0;
  }
}

export async function isStale(): Promise<boolean> {
  return (await oldestBundle()) < (await newestSource(srcDir));
}

export async function buildWidgets(): Promise<void> {
  const { build } = await import('vite');
  const out = join(here, `.dist-${process.pid}-${Date.now()}`);
  try {
    for (const name of WIDGETS) {
      await build({
        configFile: false,
        logLevel: 'warn',
        root: here,
        build: {
          outDir: out,
          emptyOutDir: false,
          target: 'es2022',
          minify: true,
          sourcemap: false,
          lib: { entry: join(srcDir, name, 'index.ts'), formats: ['es'], fileName: () => `${name}.js` },
          rolldownOptions: { output: { codeSplitting: false } },
        },
      });
    }
    await mkdir(distDir, { recursive: true });
    for (const name of WIDGETS) await rename(join(out, `${name}.js`), join(distDir, `${name}.js`));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

export async function ensureWidgetsBuilt(): Promise<void> {
  if (await isStale()) await buildWidgets();
}

if (process.argv[1] === import.meta.filename) {
  const started = Date.now();
  if (process.argv.includes('--if-stale')) await ensureWidgetsBuilt();
  else await buildWidgets();
  console.log(`[widgets] bundles ready in ${distDir} (${Date.now() - started} ms)`);
}
