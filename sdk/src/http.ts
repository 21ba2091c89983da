/** GraphQL over HTTP POST, with retries for operations that are safe to repeat. */
import { SwitchboardError, type GraphQLErrorPayload } from './errors.js';
import { backoffDelay, retryAfterMs, sleep, type RetryPolicy } from './retry.js';

export interface GraphQLRequestBody {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface HttpTransportOptions {
  url: string;
  fetch: typeof globalThis.fetch;
  /** The `Authorization` header value, read before every try (a token may have been refreshed). */
  authorization: () => Promise<string | undefined>;
  headers: Record<string, string>;
  retry: RetryPolicy;
}

export interface SendOptions {
  /** Queries only: whether failures before a GraphQL answer may be retried. */
  idempotent: boolean;
  signal?: AbortSignal;
}

/** Statuses of a gateway or a server that is starting, stopping or overloaded: worth another try. */
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

interface Failure {
  error: SwitchboardError;
  retryable: boolean;
  waitMs?: number;
}

interface GraphQLResponse {
  data?: unknown;
  errors?: GraphQLErrorPayload[];
}

function isGraphQLResponse(value: unknown): value is GraphQLResponse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { data, errors } = value as GraphQLResponse;
  return (errors === undefined || Array.isArray(errors)) && (data !== undefined || errors !== undefined);
}

const networkError = (url: string, cause: unknown) =>
  new SwitchboardError(`Could not reach ${url}: ${(cause as Error)?.message ?? String(cause)}`, { code: 'NETWORK_ERROR', cause });

/**
 * Sends one operation and returns its `data`. GraphQL errors are thrown at once as a
 * SwitchboardError and never retried; network errors and HTTP 502/503/504 are retried with backoff
 * when the operation is idempotent (a query) and tries remain.
 */
export async function send(transport: HttpTransportOptions, body: GraphQLRequestBody, options: SendOptions): Promise<unknown> {
  const { retry } = transport;
  const payload = JSON.stringify(body);
  for (let attempt = 1; ; attempt++) {
    const outcome = await tryOnce(transport, payload, options.signal);
    if (!('error' in outcome)) return outcome.data;
    if (!outcome.retryable || !options.idempotent || attempt >= retry.attempts) throw outcome.error;
    const delay = Math.max(backoffDelay(retry, attempt), Math.min(outcome.waitMs ?? 0, retry.maxDelayMs));
    await sleep(delay, options.signal);
  }
}

async function tryOnce(
  transport: HttpTransportOptions,
  payload: string,
  signal: AbortSignal | undefined,
): Promise<{ data: unknown } | Failure> {
  const { url } = transport;
  const authorization = await transport.authorization();
  let response: Response;
  let text: string;
  try {
    response = await transport.fetch(url, {
      method: 'POST',
      headers: {
        ...transport.headers,
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json;q=0.9',
        ...(authorization && { authorization }),
      },
      body: payload,
      signal,
    });
    if (RETRYABLE_STATUSES.has(response.status)) {
      await response.body?.cancel().catch(() => {});
      const error = new SwitchboardError(`HTTP ${response.status} ${response.statusText} from ${url}`.trim(), {
        code: 'HTTP_ERROR',
        status: response.status,
      });
      return { error, retryable: true, waitMs: retryAfterMs(response.headers.get('retry-after')) };
    }
    text = await response.text();
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    return { error: networkError(url, err), retryable: true };
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const status = response.status;
  if (!isGraphQLResponse(parsed)) {
    const code = response.ok ? 'BAD_RESPONSE' : 'HTTP_ERROR';
    const message = response.ok ? `The answer from ${url} is not a GraphQL response` : `HTTP ${status} ${response.statusText} from ${url}`;
    return { error: new SwitchboardError(message.trim(), { code, status }), retryable: false };
  }
  if (parsed.errors?.length) {
    return { error: SwitchboardError.fromGraphQLErrors(parsed.errors, { status, data: parsed.data ?? undefined }), retryable: false };
  }
  if (parsed.data === null || parsed.data === undefined) {
    return { error: new SwitchboardError(`The answer from ${url} has neither data nor errors`, { code: 'BAD_RESPONSE', status }), retryable: false };
  }
  return { data: parsed.data };
}
