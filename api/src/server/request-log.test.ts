/**
 * Request logs at the default level must not hold capabilities: status confirmation tokens and
 * signed recording links travel in query strings (issue 21).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startTestApi, type TestApi } from '../testing/harness.js';
import { createLogger, redactUrl } from '../platform/logger.js';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
let api: TestApi;
before(async () => {
  api = await startTestApi({ logger: createLogger('info', sink) });
});
after(() => api.stop());

test('query strings are logged with their values redacted', async () => {
  const secrets = ['confirm-secret-4f1c9a', 'sig-secret-77ab02'];
  await fetch(`${api.url}/status/confirm?token=${secrets[0]}`);
  await fetch(`${api.url}/recordings/01936f1e-0000-7000-8000-000000000000.wav?expires=1999999999&signature=${secrets[1]}`);
  const logged = () => lines.filter((l) => l.includes('/status/confirm') || l.includes('/recordings/'));
  for (let i = 0; i < 250 && logged().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(logged().some((l) => JSON.parse(l).req?.url === '/status/confirm?token=[redacted]'), 'the request line is logged, redacted');
  assert.ok(logged().some((l) => JSON.parse(l).req?.url === '/recordings/01936f1e-0000-7000-8000-000000000000.wav?expires=[redacted]&signature=[redacted]'));
  for (const secret of secrets) assert.deepEqual(lines.filter((l) => l.includes(secret)), [], `${secret} reached the log`);
});

test('redactUrl keeps paths and parameter names only', () => {
  assert.equal(redactUrl('/graphql'), '/graphql');
  assert.equal(redactUrl('/a?x=1&y&z=%20'), '/a?x=[redacted]&y=[redacted]&z=[redacted]');
  assert.equal(redactUrl('/a?'), '/a?');
});
