import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { WebSocket } from 'ws';
import type { Principal } from '../platform/auth/principal.js';
import type { Config } from '../platform/config.js';
import { ErrorCode } from '../platform/errors.js';
import { operationProblem } from './limits.js';

/** Close code of a WebSocket refused because its user, API key or (anonymous) address holds too many. */
export const TOO_MANY_SOCKETS = 4429;

/** Who a socket counts against: its user or API key, or its source address when anonymous. */
function holderOf(principal: Principal | undefined, address: string): { key: string; anonymous: boolean } {
  if (!principal) return { key: `address:${address}`, anonymous: true };
  return { key: principal.kind === 'apiKey' ? `apiKey:${principal.apiKeyId}` : `user:${principal.userId}`, anonymous: false };
}

/**
 * Open WebSockets per holder, on this instance (a count of open sockets, not a rate, so it lives in
 * memory). `admit` counts an acknowledged socket until it closes, or closes it with 4429 and
 * "TOO_MANY_CONNECTIONS: ..." when its holder already has the most allowed.
 */
export function socketCounter(config: Pick<Config, 'wsMaxSocketsPerPrincipal' | 'wsMaxAnonymousSocketsPerAddress'>) {
  const open = new Map<string, number>();
  return {
    admit(socket: WebSocket, principal: Principal | undefined, address: string): boolean {
      const { key, anonymous } = holderOf(principal, address);
      const max = anonymous ? config.wsMaxAnonymousSocketsPerAddress : config.wsMaxSocketsPerPrincipal;
      const count = open.get(key) ?? 0;
      if (max > 0 && count >= max) {
        const who = anonymous ? 'this address has' : 'these credentials have';
        socket.close(TOO_MANY_SOCKETS, `TOO_MANY_CONNECTIONS: ${who} ${max} open WebSockets; close one first`);
        return false;
      }
      open.set(key, count + 1);
      socket.once('close', () => {
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      });
      return true;
    },
  };
}

interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * graphql-ws `onSubscribe`: refuses a socket's operation beyond `wsMaxSubscriptions` (the others go
 * on), then parses and validates it and applies the same limits as HTTP (`operationProblem`).
 * Answers the errors to send, or the arguments to execute with.
 */
export function checkSubscribe(
  schema: GraphQLSchema,
  config: Pick<Config, 'wsMaxSubscriptions' | 'maxQueryDepth' | 'maxQueryCost'>,
  openOperations: number,
  payload: SubscribePayload,
): readonly GraphQLError[] | { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: Record<string, unknown> | null } {
  if (config.wsMaxSubscriptions > 0 && openOperations > config.wsMaxSubscriptions) {
    return [new GraphQLError(`This WebSocket already holds ${config.wsMaxSubscriptions} subscriptions; complete one first or open another socket`, {
      extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS, limit: config.wsMaxSubscriptions },
    })];
  }
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (err) {
    return [new GraphQLError((err as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
  }
  const invalid = validate(schema, document);
  if (invalid.length) return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  const problem = operationProblem(schema, { maxDepth: config.maxQueryDepth, maxCost: config.maxQueryCost }, document, payload.operationName, payload.variables);
  if (problem) return [problem];
  return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
}
