import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { App, Context } from '../platform/context.js';
import { authenticate, refreshPrincipal } from '../modules/identity/index.js';
import { platformEm, tenantEm } from '../platform/db/orm.js';
import type { Principal } from '../platform/auth/principal.js';
import { formatError, logUnexpectedErrors } from './format-error.js';
import { queryLimitsPlugin } from './limits.js';
import { checkSubscribe, socketCounter } from './websocket-limits.js';
import { nodeServerTimeouts, registerSecurityHeaders } from './http-hardening.js';
import { subscribeWithFreshContext } from './subscription-context.js';
import { httpRoutes } from '../modules/http-routes.js';
import { registerReadiness } from './readiness.js';
import { registerHomePage } from './home-page.js';

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

interface Caller {
  principal?: Principal;
  authError?: Error;
}

async function callerOf(app: App, authorization: string | undefined): Promise<Caller> {
  try {
    return { principal: await authenticate(app, authorization) };
  } catch (err) {
    return { authError: err as Error };
  }
}

function buildContext(app: App, caller: Caller, requestId: string, headers: Record<string, string | string[] | undefined>, ip: string): Context {
  const log = app.log.child({ reqId: requestId });
  const header = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : undefined);
  return { app, em: emFor(app, caller.principal), ...caller, log, requestId, loaders: new Map(), userAgent: header('user-agent'), origin: header('origin'), ip };
}

/** A WebSocket upgrade's caller address, read the way Fastify reads request.ip for HTTP. */
function clientAddress(app: App, request: IncomingMessage): string {
  const direct = request.socket.remoteAddress ?? 'unknown';
  if (!app.config.trustProxy) return direct;
  const forwarded = request.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',').map((s) => s.trim()).filter(Boolean);
  return first?.length ? first[first.length - app.config.trustProxy] ?? first[0] : direct;
}

/** WebSocket close code and reason for refused credentials: 4401 or 4403, reason "<CODE>: <message>". */
function closeFor(err: unknown): [number, string] {
  const code = String((err as { extensions?: { code?: string } }).extensions?.code ?? 'UNAUTHENTICATED');
  const reason = `${code}: ${(err as Error).message}`;
  return [code === 'UNAUTHENTICATED' ? 4401 : 4403, Buffer.from(reason).subarray(0, 120).toString()];
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
    // The socket's peer and the next TRUST_PROXY-1 addresses of X-Forwarded-For are our proxies.
    trustProxy: (_address: string, hop: number) => hop < app.config.trustProxy,
    ...nodeServerTimeouts(app.config),
  });
  registerSecurityHeaders(fastify);
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  fastify.get('/healthz', async () => ({ status: 'ok' }));
  registerHomePage(fastify); // GET /: links for a person who opened the address in a browser
  await registerReadiness(fastify, app); // /readyz, and SERVICE_UNAVAILABLE at once while the database is away

  for (const register of httpRoutes) await register(fastify, app);

  const wss = new WebSocketServer({ server: fastify.server, path: '/graphql' });
  const sockets = socketCounter(app.config);
  const ws = useServer<Record<string, unknown> | undefined, { principal?: Principal }>(
    {
      schema,
      subscribe: subscribeWithFreshContext((ctx) => {
        ctx.loaders.clear();
        ctx.em = emFor(app, ctx.principal);
      }),
      // Credentials come in connection_init: { authorization: "Bearer <token or API key>" }; none
      // means anonymous. Refused ones close the socket with 4401/4403 and "<CODE>: <message>".
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.authorization;
        const { socket } = ctx.extra;
        const caller = await callerOf(app, typeof auth === 'string' ? auth : auth === undefined ? undefined : 'malformed');
        if (caller.authError) {
          socket.close(...closeFor(caller.authError));
          return false;
        }
        if (!sockets.admit(socket, caller.principal, clientAddress(app, ctx.extra.request))) return false;
        ctx.extra.principal = caller.principal;
        if (caller.principal) watchCredentials(socket, caller.principal);
        return true;
      },
      // At most WS_MAX_SUBSCRIPTIONS operations per socket; the same input and cost checks as HTTP.
      onSubscribe: (ctx, _id, payload) => checkSubscribe(schema, app.config, Object.keys(ctx.subscriptions).length, payload),
      // Each new subscription runs with the caller's rights as they are now.
      context: async (ctx) => {
        const { principal } = ctx.extra;
        const caller: Caller = principal ? await refreshPrincipal(app, principal).then((p) => ({ principal: p }), (err: Error) => ({ authError: err })) : {};
        return buildContext(app, caller, randomUUID(), ctx.extra.request.headers, clientAddress(app, ctx.extra.request));
      },
      onError: (_ctx, _id, _payload, errors) => {
        app.log.debug({ errors }, 'subscription error');
      },
    },
    wss,
  );

  /** Re-checks an open socket's session or key, and closes the socket once it is no longer good. */
  function watchCredentials(socket: WebSocket, principal: Principal) {
    const timer = setInterval(() => {
      refreshPrincipal(app, principal).catch((err: unknown) => {
        if ((err as { extensions?: unknown }).extensions) socket.close(...closeFor(err));
        else app.log.warn({ err }, 'could not re-check WebSocket credentials');
      });
    }, app.config.wsRevalidateSeconds * 1000);
    timer.unref();
    socket.once('close', () => clearInterval(timer));
  }

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatError(),
    plugins: [
      fastifyApolloDrainPlugin(fastify),
      // no HTML on /graphql: Apollo's landing page loads scripts from a CDN, which the pages' CSP forbids
      ApolloServerPluginLandingPageDisabled(),
      logUnexpectedErrors,
      queryLimitsPlugin(schema, { maxDepth: app.config.maxQueryDepth, maxCost: app.config.maxQueryCost }),
    ],
  });
  await apollo.start();
  await fastify.register(fastifyApollo(apollo), {
    path: '/graphql',
    context: async (request) => buildContext(app, await callerOf(app, request.headers.authorization), request.id, request.headers, request.ip),
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
