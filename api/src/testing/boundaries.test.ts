/**
 * The testing area stays out of production: no file the API runs (api/src outside testing/ and
 * the *.test.ts files) imports from api/src/testing, and test doubles (the Stripe peer, the billing
 * test kit) live there, not in a module.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

const SRC = join(import.meta.dirname, '..');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('testing area boundaries', () => {
  it('production code imports nothing from api/src/testing, and keeps no test doubles', async () => {
    const production = (await sources(SRC)).filter((p) => !p.endsWith('.test.ts') && !relative(SRC, p).startsWith('testing/'));
    assert.ok(production.some((p) => relative(SRC, p) === 'modules/billing/billing.service.ts'), 'the walk found the billing module');
    const offenders: string[] = [];
    for (const path of production) {
      const source = await readFile(path, 'utf8');
      for (const [, spec] of source.matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
        if (/(^|\/)testing\//.test(spec!) || /stripe-peer|test-kit/.test(spec!)) offenders.push(`${relative(SRC, path)} imports ${spec}`);
      }
      if (/(stripe-peer|test-kit)\.ts$/.test(path)) offenders.push(`${relative(SRC, path)} is a test double outside api/src/testing`);
    }
    assert.deepEqual(offenders, []);
  });
});
