/** GraphQL subscriptions over one shared graphql-ws socket, as async iterators. */
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { SwitchboardError, type GraphQLErrorPayload } from './errors.js';
import type { GraphQLRequestBody } from './http.js';
import { resumeState, type ResumeOptions } from './resume.js';
import { backoffDelay, sleep, type RetryPolicy } from './retry.js';

export interface SubscriptionTransportOptions {
  /** ws:// or wss:// address of the `/graphql` endpoint. */
  url: string;
  /** The `Authorization` value, read again on every (re)connection. */
  authorization: () => Promise<string | undefined>;
  retry: RetryPolicy;
  /** A WebSocket constructor, when there is no global one (e.g. `ws` on Node 20). */
  webSocketImpl?: unknown;
}

/**
 * Close codes of refused credentials: 4401 (UNAUTHENTICATED) and 4403 (e.g. TENANT_SUSPENDED), with
 * the reason "<CODE>: <message>". The API sends them at connection_init and when an open socket's
 * session or key stops being good (sign-out, revocation, suspension). Never retried.
 */
const CREDENTIALS_REFUSED = new Set([4401, 4403]);

interface CloseLike {
  code: number;
  reason: string;
}

const isCloseLike = (value: unknown): value is CloseLike =>
  typeof value === 'object' && value !== null && typeof (value as CloseLike).code === 'number' && 'reason' in value;

/** Whatever graphql-ws reports (GraphQL errors, a close event, an error event or an Error) as a SwitchboardError. */
export function toSwitchboardError(error: unknown, url: string): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  if (Array.isArray(error)) return SwitchboardError.fromGraphQLErrors(error as GraphQLErrorPayload[]);
  if (isCloseLike(error)) {
    const extensions = { closeCode: error.code, closeReason: error.reason };
    if (CREDENTIALS_REFUSED.has(error.code)) {
      const [, code, message] = /^([A-Z_]+): (.*)$/s.exec(error.reason) ?? [, 'UNAUTHENTICATED', 'The API refused the credentials of the subscription socket'];
      return new SwitchboardError(message!, { code: code!, extensions, cause: error });
    }
    // 1xxx: the transport went away (abnormal closure, going away, restart) and reconnects ran out;
    // 4499: graphql-ws terminated a socket that froze.
    const network = error.code < 4000 || error.code === 4499;
    const detail = `${error.code}${error.reason ? ` ${error.reason}` : ''}`;
    return new SwitchboardError(`The subscription socket to ${url} closed (${detail})`, {
      code: network ? 'NETWORK_ERROR' : 'CONNECTION_CLOSED',
      extensions,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : 'connection failed';
  return new SwitchboardError(`Could not reach ${url}: ${message}`, { code: 'NETWORK_ERROR', cause: error });
}

export interface Subscriptions {
  /** With `resume`, a reconnect resubscribes from the newest cursor delivered and replays are dropped. */
  subscribe<TResult>(body: GraphQLRequestBody, resume?: ResumeOptions<TResult>): AsyncIterableIterator<TResult>;
  /** Ends every subscription and closes the sockets. */
  close(): Promise<void>;
}

interface Socket {
  client: WsClient;
  /** The credentials it last connected with. */
  authorization: string | undefined;
  subscriptions: number;
}

/** One message of a subscription, as graphql-ws gives it. */
interface Result<TResult> {
  data?: TResult | null;
  errors?: readonly GraphQLErrorPayload[];
}

/**
 * Subscriptions share one socket while the credentials stay the same. The API reads credentials in
 * connection_init only, so once `getToken` returns a new token (the old one may have expired or
 * been signed out), new subscriptions go over a new socket; the old one keeps its subscriptions and
 * closes after the last ends. A socket that reconnects reads the credentials again.
 */
export function createSubscriptions(options: SubscriptionTransportOptions): Subscriptions {
  const { retry } = options;
  const sockets = new Set<Socket>();
  let current: Socket | undefined;

  const open = (authorization: string | undefined): Socket => {
    const socket: Socket = { authorization, subscriptions: 0, client: undefined as unknown as WsClient };
    socket.client = createWsClient({
      url: options.url,
      webSocketImpl: options.webSocketImpl,
      lazy: true,
      lazyCloseTimeout: 1000,
      connectionParams: async () => {
        socket.authorization = await options.authorization();
        return socket.authorization ? { authorization: socket.authorization } : {};
      },
      retryAttempts: retry.reconnectAttempts,
      retryWait: (retries) => sleep(backoffDelay(retry, retries + 1)),
      // Lost connections and failed connects (API restarting, network down) are retried, and
      // graphql-ws then resubscribes; refused credentials are not (graphql-ws itself never
      // retries protocol errors such as 4400 or 4500).
      shouldRetry: (error) => !(isCloseLike(error) && CREDENTIALS_REFUSED.has(error.code)),
    });
    sockets.add(socket);
    return socket;
  };

  const release = (socket: Socket) => {
    // graphql-ws closes an idle lazy socket by itself; a replaced one is then forgotten.
    if (--socket.subscriptions === 0 && socket !== current) sockets.delete(socket);
  };

  const subscribe = async <TResult>(body: GraphQLRequestBody) => {
    const authorization = await options.authorization();
    if (!current || current.authorization !== authorization) {
      const previous = current;
      current = open(authorization);
      if (previous && previous.subscriptions === 0) {
        sockets.delete(previous);
        void previous.client.dispose();
      }
    }
    const socket = current;
    socket.subscriptions++;
    return { socket, source: socket.client.iterate<TResult>(body) };
  };

  return {
    subscribe<TResult>(body: GraphQLRequestBody, resume?: ResumeOptions<TResult>): AsyncIterableIterator<TResult> {
      const state = resume && resumeState(resume, body.variables);
      // graphql-ws serialises the payload each time it (re)subscribes, so a getter gives every
      // resubscription after a lost connection the newest cursor delivered.
      const payload: GraphQLRequestBody = state
        ? { query: body.query, operationName: body.operationName, get variables() { return state.variables(); } }
        : body;
      // Subscribes now, not at the first next(): events are buffered until they are read.
      const started = subscribe<TResult>(payload);
      started.catch(() => {}); // reported by next()
      let done = false;
      const finish = async () => {
        if (done) return;
        done = true;
        const { socket, source } = await started;
        await source.return?.();
        release(socket);
      };
      const iterator: AsyncIterableIterator<TResult> = {
        async next(): Promise<IteratorResult<TResult>> {
          if (done) return { done: true, value: undefined };
          let source: AsyncIterableIterator<Result<TResult>>;
          try {
            ({ source } = await started);
          } catch (error) {
            done = true; // getToken failed: its error, as is
            throw error;
          }
          for (;;) {
            let step: IteratorResult<Result<TResult>>;
            try {
              step = await source.next();
            } catch (error) {
              await finish().catch(() => {});
              throw toSwitchboardError(error, options.url);
            }
            if (step.done) {
              await finish();
              return { done: true, value: undefined };
            }
            const { data, errors } = step.value;
            if (errors?.length || data === null || data === undefined) {
              await finish();
              throw errors?.length
                ? SwitchboardError.fromGraphQLErrors(errors, { data: data ?? undefined })
                : new SwitchboardError('A subscription event came without data', { code: 'BAD_RESPONSE' });
            }
            if (state && !state.accept(data)) continue; // delivered before the reconnect
            return { done: false, value: data };
          }
        },
        async return(): Promise<IteratorResult<TResult>> {
          await finish().catch(() => {});
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },

    async close() {
      const closing = [...sockets];
      sockets.clear();
      current = undefined;
      await Promise.all(closing.map((socket) => socket.client.dispose()));
    },
  };
}
