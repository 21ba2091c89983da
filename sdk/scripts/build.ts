/**
 * Builds the publishable package into a folder (default `sdk/dist`): ES modules and declarations
 * compiled by tsc from `src` (without Node's types, so Node-only APIs fail the build), its own
 * package.json (exports map, types, dependencies), README and LICENCE. Publish with
 * `npm publish sdk/dist`.
 *
 *   npm run build -w @switchboard/sdk [-- <out-dir>]
 */
import { spawnSync } from 'node:child_process';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const sdk = join(import.meta.dirname, '..');

export async function buildSdk(outDir = join(sdk, 'dist')): Promise<string> {
  const out = resolve(outDir);
  await rm(out, { recursive: true, force: true });
  const tscPackage = createRequire(import.meta.url).resolve('typescript/package.json');
  const tsc = join(dirname(tscPackage), 'bin', 'tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(sdk, 'tsconfig.build.json'), '--outDir', out], { encoding: 'utf8' });
  if (compiled.status !== 0) throw new Error(`tsc failed:\n${compiled.stdout}${compiled.stderr}`);

  const source = JSON.parse(await readFile(join(sdk, 'package.json'), 'utf8'));
  const published = {
    name: source.name,
    version: source.version,
    description: source.description,
    license: source.license,
    type: 'module',
    engines: source.engines,
    sideEffects: false,
    main: './index.js',
    types: './index.d.ts',
    exports: {
      '.': { types: './index.d.ts', import: './index.js', default: './index.js' },
      './package.json': './package.json',
    },
    dependencies: source.dependencies,
    peerDependencies: source.peerDependencies,
  };
  await writeFile(join(out, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  await copyFile(join(sdk, 'README.md'), join(out, 'README.md'));
  await copyFile(join(sdk, '..', 'LICENSE'), join(out, 'LICENSE'));
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  console.log(`Built ${await buildSdk(process.argv[2])}`);
}
