/**
 * `/readyz`, and the gate that refuses GraphQL requests at once while the database is away.
 *
 * /readyz answers within 2 s whatever the database does (a frozen server included): 200 with every
 * check "ok", else 503 naming what is wrong. While the database watcher (platform/db/health.ts)
 * sees no answer, POST/GET /graphql gets HTTP 503 with one SERVICE_UNAVAILABLE error, so clients
 * learn in milliseconds, not after a timeout, and can retry.
 */
import type { FastifyInstance } from 'fastify';
import type { App } from '../platform/context.js';
import { ErrorCode } from '../platform/errors.js';
import { telephonyHealth } from '../modules/telephony/runtime/index.js';

/** Longest /readyz waits for the migrations check, once the database answered a ping. */
const MIGRATIONS_CHECK_MS = 700;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

async function databaseChecks(app: App): Promise<Record<string, string>> {
  if (!(await app.dbHealth.check())) return { database: `unreachable: ${app.dbHealth.reason ?? 'no answer'}` };
  try {
    const pending = await within(app.orm.migrator.getPending(), MIGRATIONS_CHECK_MS, 'the migrations check');
    return { database: 'ok', migrations: pending.length ? `${pending.length} pending` : 'ok' };
  } catch (err) {
    return { database: 'ok', migrations: `unknown: ${(err as Error).message}` };
  }
}

/** The body of a GraphQL response refused because the database does not answer. */
export function unavailableBody() {
  return {
    errors: [
      {
        message: 'The service is temporarily unavailable (its database does not answer); try again shortly',
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
      },
    ],
  };
}

export async function registerReadiness(fastify: FastifyInstance, app: App): Promise<void> {
  fastify.get('/readyz', async (_request, reply) => {
    const [database, telephony] = await Promise.all([
      databaseChecks(app),
      within(telephonyHealth(app), 1500, 'telephony').catch((err: Error) => ({ telephony: `unknown: ${err.message}` })),
    ]);
    const checks: Record<string, string> = { ...database, ...(telephony ?? {}) };
    const ready = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });

  fastify.addHook('onRequest', async (request, reply) => {
    if (app.dbHealth.up || request.url.split('?')[0] !== '/graphql') return;
    return reply.code(503).header('retry-after', '2').send(unavailableBody());
  });
}
