import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { App, Context } from '../platform/context.js';
import { authenticate } from '../modules/identity/index.js';
import { platformEm, tenantEm } from '../platform/db/orm.js';
import type { Principal } from '../platform/auth/principal.js';
import { formatError, logUnexpectedErrors } from './format-error.js';
import { queryLimitsPlugin } from './limits.js';

export interface HttpServer {
  fastify: FastifyInstance;
  /** Closes WebSockets with 1001 (going away), drains HTTP and stops Apollo. */
  close(): Promise<void>;
}

/** The caller's entity manager: its tenant's scope, the whole platform for operators, none otherwise. */
function emFor(app: App, principal: Principal | undefined) {
  if (!principal) return app.orm.em.fork();
  return principal.kind === 'operator' ? platformEm(app.orm) : tenantEm(app.orm, principal.tenantId);
}

async function buildContext(app: App, authorization: string | undefined, requestId: string, userAgent?: string): Promise<Context> {
  const log = app.log.child({ reqId: requestId });
  let principal: Principal | undefined;
  let authError: Error | undefined;
  try {
    principal = await authenticate(app, authorization);
  } catch (err) {
    authError = err as Error;
  }
  return { app, em: emFor(app, principal), principal, authError, log, requestId, loaders: new Map(), userAgent };
}

export async function createHttpServer(app: App, schema: GraphQLSchema): Promise<HttpServer> {
  const fastify = Fastify({
    loggerInstance: app.log as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  fastify.get('/healthz', async () => ({ status: 'ok' }));
  fastify.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      await app.orm.em.getConnection().execute('select 1');
      checks.database = 'ok';
      const pending = await app.orm.migrator.getPending();
      checks.migrations = pending.length ? `${pending.length} pending` : 'ok';
    } catch (err) {
      checks.database = `unreachable: ${(err as Error).message}`;
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });

  const wss = new WebSocketServer({ server: fastify.server, path: '/graphql' });
  const ws = useServer<Record<string, unknown> | undefined, { principal?: Principal; authError?: Error }>(
    {
      schema,
      // Credentials come in connection_init: { authorization: "Bearer <token or API key>" }.
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.authorization;
        if (auth !== undefined && typeof auth !== 'string') return false;
        try {
          ctx.extra.principal = await authenticate(app, auth);
          return true;
        } catch {
          return false;
        }
      },
      context: async (ctx) => {
        const auth = ctx.connectionParams?.authorization as string | undefined;
        // Checked again for each new subscription, so a revoked session cannot start new ones.
        return buildContext(app, auth, randomUUID(), ctx.extra.request.headers['user-agent']);
      },
      onError: (_ctx, _id, _payload, errors) => {
        app.log.debug({ errors }, 'subscription error');
      },
    },
    wss,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatError(),
    plugins: [
      fastifyApolloDrainPlugin(fastify),
      logUnexpectedErrors,
      queryLimitsPlugin(schema, app.config.maxQueryDepth, app.config.maxQueryCost),
    ],
  });
  await apollo.start();
  await fastify.register(fastifyApollo(apollo), {
    path: '/graphql',
    context: async (request) => buildContext(app, request.headers.authorization, request.id, request.headers['user-agent']),
  });

  return {
    fastify,
    async close() {
      for (const client of wss.clients) client.close(1001, 'Server going away');
      await ws.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await fastify.close();
      await apollo.stop();
    },
  };
}
