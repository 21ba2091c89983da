/**
 * The Switchboard client: typed requests over HTTP, cursor pagination and subscriptions over
 * graphql-ws, with the API's errors as SwitchboardError. Works in Node 20+ and browsers.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, print, type DocumentNode, type OperationTypeNode } from 'graphql';
import { SwitchboardError } from './errors.js';
import { contactCentreHelpers, type ContactCentreHelpers } from './contact-centre-helpers.js';
import { identityHelpers, type IdentityHelpers } from './identity-helpers.js';
import { send, type GraphQLRequestBody, type HttpTransportOptions } from './http.js';
import { retryPolicy, type RetryOptions } from './retry.js';
import type { ResumeOptions } from './resume.js';
import { createSubscriptions } from './subscriptions.js';

export interface ClientOptions {
  /** Address of the API's GraphQL endpoint, e.g. `https://api.example.com/graphql`. */
  url: string;
  /** An API key (`sbk_...`), sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Returns the current access token, or undefined when signed out; called before every request and (re)connection. */
  getToken?: () => string | undefined | Promise<string | undefined>;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof globalThis.fetch;
  /** A WebSocket constructor for subscriptions; the global one by default (pass `ws` on Node 20). */
  webSocketImpl?: unknown;
  /** Address for subscriptions; `url` with ws:// or wss:// by default. */
  wsUrl?: string;
  /** Extra headers sent with every HTTP request. */
  headers?: Record<string, string>;
  retry?: RetryOptions;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface SubscribeOptions<TResult> {
  /**
   * For subscriptions the API can replay from a cursor (e.g. `afterMessageId`): after a lost
   * connection, resubscribe from the newest cursor delivered and drop events delivered already.
   */
  resume?: ResumeOptions<TResult>;
}

/** Variables may be left out when the operation has no required ones. */
export type VariablesArgs<TVariables, TRest extends unknown[] = []> = {} extends TVariables
  ? [variables?: TVariables, ...rest: TRest]
  : [variables: TVariables, ...rest: TRest];

/** The part of a connection `paginate` follows. */
export interface Connection<TNode> {
  edges: readonly { node: TNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The generic part of the client: any operation of the API, typed by its document. */
export interface CoreClient {
  /** Runs a query or mutation and returns its data; throws SwitchboardError. */
  request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...args: VariablesArgs<TVariables, [options?: RequestOptions]>
  ): Promise<TResult>;
  /** Every node of a connection, page after page, following `pageInfo.endCursor` through `$after`. */
  paginate<TResult, TVariables extends { after?: string | null }, TNode>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: Omit<TVariables, 'after'>,
    select: (data: TResult) => Connection<TNode>,
    options?: RequestOptions,
  ): AsyncGenerator<TNode, void, undefined>;
  /** Subscribes at once; iterate to read events (buffered until read), `return()` or `break` to stop. */
  subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...args: VariablesArgs<TVariables, [options?: SubscribeOptions<TResult>]>
  ): AsyncIterableIterator<TResult>;
  /** Ends every subscription and closes the socket (a later subscribe opens a new one). */
  close(): Promise<void>;
}

/** The client: generic calls plus named helpers for the common operations. */
export interface SwitchboardClient extends CoreClient, IdentityHelpers, ContactCentreHelpers {}

interface PreparedOperation {
  query: string;
  operationName: string | undefined;
  operation: OperationTypeNode;
}

const prepared = new WeakMap<DocumentNode, PreparedOperation>();

/** The printed text and kind of a document's one operation (cached per document). */
function prepare(document: DocumentNode): PreparedOperation {
  let found = prepared.get(document);
  if (!found) {
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1) throw new TypeError(`A document must hold exactly one operation, not ${operations.length}`);
    const [op] = operations;
    found = { query: print(document), operationName: op.name?.value, operation: op.operation };
    prepared.set(document, found);
  }
  return found;
}

function body(op: PreparedOperation, variables: unknown): GraphQLRequestBody {
  return {
    query: op.query,
    ...(op.operationName && { operationName: op.operationName }),
    ...(variables !== undefined && { variables: variables as Record<string, unknown> }),
  };
}

/** `url` with ws:// or wss://, resolved against the page address in browsers. */
function webSocketUrl(url: string): string {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const address = new URL(url, base);
  address.protocol = address.protocol === 'https:' ? 'wss:' : address.protocol === 'http:' ? 'ws:' : address.protocol;
  return address.toString();
}

export function createClient(options: ClientOptions): SwitchboardClient {
  if (options.apiKey && options.getToken) throw new TypeError('Give either apiKey or getToken, not both');
  const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (!fetchImpl) throw new TypeError('No fetch implementation: pass one as `fetch`');
  const retry = retryPolicy(options.retry);

  const authorization = async (): Promise<string | undefined> => {
    if (options.apiKey) return `Bearer ${options.apiKey}`;
    const token = await options.getToken?.();
    return token ? `Bearer ${token}` : undefined;
  };
  const http: HttpTransportOptions = { url: options.url, fetch: fetchImpl, authorization, headers: options.headers ?? {}, retry };
  const subscriptions = createSubscriptions({
    url: options.wsUrl ?? webSocketUrl(options.url),
    authorization,
    retry,
    webSocketImpl: options.webSocketImpl,
  });

  async function run<TResult>(document: DocumentNode, variables: unknown, signal?: AbortSignal): Promise<TResult> {
    const op = prepare(document);
    if (op.operation === 'subscription') throw new TypeError('Use subscribe() for subscriptions');
    // Only queries are safe to repeat: a mutation that failed on the way may still have been applied.
    return (await send(http, body(op, variables), { idempotent: op.operation === 'query', signal })) as TResult;
  }

  function request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...[variables, requestOptions]: VariablesArgs<TVariables, [options?: RequestOptions]>
  ): Promise<TResult> {
    return run<TResult>(document, variables, requestOptions?.signal);
  }

  async function* paginate<TResult, TVariables extends { after?: string | null }, TNode>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: Omit<TVariables, 'after'>,
    select: (data: TResult) => Connection<TNode>,
    requestOptions?: RequestOptions,
  ): AsyncGenerator<TNode, void, undefined> {
    let after: string | null = null;
    for (;;) {
      const connection = select(await run<TResult>(document, { ...variables, after }, requestOptions?.signal));
      for (const edge of connection.edges) yield edge.node;
      const { hasNextPage, endCursor } = connection.pageInfo;
      if (!hasNextPage) return;
      if (!endCursor || endCursor === after) {
        throw new SwitchboardError('The API announced a next page without a new end cursor', { code: 'BAD_RESPONSE' });
      }
      after = endCursor;
    }
  }

  function subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...[variables, subscribeOptions]: VariablesArgs<TVariables, [options?: SubscribeOptions<TResult>]>
  ): AsyncIterableIterator<TResult> {
    const op = prepare(document);
    if (op.operation !== 'subscription') throw new TypeError('subscribe() takes a subscription; use request() for queries and mutations');
    return subscriptions.subscribe<TResult>(body(op, variables), subscribeOptions?.resume);
  }

  const core: CoreClient = { request, paginate, subscribe, close: () => subscriptions.close() };
  return { ...core, ...identityHelpers(core), ...contactCentreHelpers(core) };
}
