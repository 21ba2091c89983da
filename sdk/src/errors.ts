/**
 * One error class for everything that can go wrong in a call: GraphQL errors from the API (with
 * the API's `extensions.code`), HTTP failures, network failures and closed subscriptions.
 */

/**
 * Codes the API puts in `extensions.code` (its catalogue, api/src/platform/errors.ts; a test keeps
 * the two equal), and the two the GraphQL server itself gives documents that do not parse or validate.
 */
export const API_ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_CREDENTIALS',
  'TENANT_SUSPENDED',
  'LICENCE_REQUIRED',
  'SENDER_BLOCKED',
  'AGENT_UNAVAILABLE',
  'ORIGIN_NOT_ALLOWED',
  'RATE_LIMITED',
  'LICENCE_SEATS_EXHAUSTED',
  'LICENCE_POLICY_VIOLATION',
  'LICENCE_SUSPENDED',
  'BILLING_NOT_CONFIGURED',
  'BILLING_PROVIDER_ERROR',
  'MAINTENANCE_NOTICE_TOO_SHORT',
  'DESTINATION_BLOCKED',
  'TELEPHONY_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_SUBSCRIPTIONS',
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Codes the SDK gives failures that never reached a GraphQL answer. */
export type ClientErrorCode =
  /** The request or the socket could not reach the API (after any retries). */
  | 'NETWORK_ERROR'
  /** The API (or a proxy in front of it) answered with an HTTP error and no GraphQL errors. */
  | 'HTTP_ERROR'
  /** The answer was not a GraphQL response. */
  | 'BAD_RESPONSE'
  /** The subscription socket was closed by the server for a reason other than credentials. */
  | 'CONNECTION_CLOSED';

/** A known code, or any other string a newer API may send. */
export type ErrorCode = ApiErrorCode | ClientErrorCode | (string & {});

/** A GraphQL error as it arrives in a response's `errors`. */
export interface GraphQLErrorPayload {
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

export interface SwitchboardErrorInit {
  code: ErrorCode;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
  errors?: readonly GraphQLErrorPayload[];
  status?: number;
  data?: unknown;
  cause?: unknown;
}

export class SwitchboardError extends Error {
  override readonly name = 'SwitchboardError';
  /** `extensions.code` of the first GraphQL error, or a client code such as NETWORK_ERROR. */
  readonly code: ErrorCode;
  /** Path of the field that failed, when the API gave one. */
  readonly path: readonly (string | number)[] | undefined;
  /** Extensions of the first GraphQL error (e.g. `fields` of BAD_USER_INPUT, `violations`). */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** Every GraphQL error of the response; empty for client errors. */
  readonly errors: readonly GraphQLErrorPayload[];
  /** HTTP status, when there was an HTTP answer. */
  readonly status: number | undefined;
  /** Partial data that came with the errors, if any. */
  readonly data: unknown;

  constructor(message: string, init: SwitchboardErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.path = init.path;
    this.extensions = init.extensions ?? {};
    this.errors = init.errors ?? [];
    this.status = init.status;
    this.data = init.data;
  }

  /** The error of a GraphQL response: code, message and path of its first error, and all of them. */
  static fromGraphQLErrors(errors: readonly GraphQLErrorPayload[], extra: { status?: number; data?: unknown } = {}): SwitchboardError {
    const [first] = errors;
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    return new SwitchboardError(`${first?.message ?? 'Unknown GraphQL error'}${more}`, {
      code,
      path: first?.path,
      extensions: first?.extensions,
      errors,
      ...extra,
    });
  }
}

/** Whether `error` is a SwitchboardError, optionally with one of the given codes. */
export function isSwitchboardError(error: unknown, ...codes: ErrorCode[]): error is SwitchboardError {
  return error instanceof SwitchboardError && (codes.length === 0 || codes.includes(error.code));
}
