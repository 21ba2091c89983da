/**
 * Skipping obeys CI=true: locally a test whose service is missing is skipped and says why; in CI
 * the same test fails, naming what is missing (`.ci/run` installs everything).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { skipLocally } from './skip.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Runs one test file with Node's test runner (TAP), with `env` laid over ours minus `unset`. */
function runTestFile(file: string, env: Record<string, string>, unset: string[]): Promise<{ code: number | null; output: string }> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const name of [...unset, 'NODE_TEST_CONTEXT']) delete childEnv[name]; // NODE_TEST_CONTEXT: a nested runner would not run files
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], { cwd: ROOT, env: childEnv });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

async function testFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await testFiles(path)));
    else if (entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('skip locally, fail in CI', () => {
  it('runs when nothing is missing, skips with the reason locally, throws with CI=true', (t) => {
    const saved = process.env.CI;
    t.after(() => (saved === undefined ? delete process.env.CI : (process.env.CI = saved)));
    delete process.env.CI;
    assert.equal(skipLocally(null, 'install it'), false);
    assert.equal(skipLocally('no Redis available', 'install redis-server'), 'no Redis available (install redis-server)');
    process.env.CI = 'true';
    assert.equal(skipLocally(null, 'install it'), false);
    assert.throws(() => skipLocally('no Redis available', 'install redis-server'), /no Redis available: CI=true forbids skipping \(install redis-server\)/);
  });

  it('the Redis multi-instance test fails without Redis when CI=true, and is skipped otherwise', async () => {
    const file = 'test/multi-instance.test.ts';
    const ci = await runTestFile(file, { CI: 'true' }, ['TEST_REDIS_URL']);
    assert.notEqual(ci.code, 0, ci.output);
    assert.match(ci.output, /no Redis available: CI=true forbids skipping/);
    const local = await runTestFile(file, {}, ['TEST_REDIS_URL', 'CI']);
    assert.equal(local.code, 0, local.output);
    assert.match(local.output, /# SKIP no Redis available/);
  });

  it('every test file that can skip takes its reason from skipLocally (directly or through telephonySkipReason)', async () => {
    const files = (await Promise.all(['api', 'sdk', 'widgets', 'test', 'examples'].map((d) => testFiles(join(ROOT, d))))).flat();
    const unruled: string[] = [];
    for (const path of files) {
      const source = await readFile(path, 'utf8');
      const skips = /\bskip\s*:|\.skip\(|\.todo\(|\btodo\s*:/.test(source);
      if (skips && !/\b(skipLocally|telephonySkipReason)\(/.test(source)) unruled.push(relative(ROOT, path));
    }
    assert.ok(files.length > 50, `found only ${files.length} test files`);
    assert.deepEqual(unruled, [], 'these files skip without obeying CI=true');
  });
});
