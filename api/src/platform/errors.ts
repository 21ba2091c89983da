import { GraphQLError } from 'graphql';

/**
 * The one catalogue of error codes clients see in `extensions.code`.
 * Add a code here before using it; the README lists them for integrators.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TENANT_SUSPENDED: 'TENANT_SUSPENDED',
  LICENCE_REQUIRED: 'LICENCE_REQUIRED',
  SENDER_BLOCKED: 'SENDER_BLOCKED',
  AGENT_UNAVAILABLE: 'AGENT_UNAVAILABLE',
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  RATE_LIMITED: 'RATE_LIMITED',
  LICENCE_SEATS_EXHAUSTED: 'LICENCE_SEATS_EXHAUSTED',
  LICENCE_POLICY_VIOLATION: 'LICENCE_POLICY_VIOLATION',
  LICENCE_SUSPENDED: 'LICENCE_SUSPENDED',
  BILLING_NOT_CONFIGURED: 'BILLING_NOT_CONFIGURED',
  BILLING_PROVIDER_ERROR: 'BILLING_PROVIDER_ERROR',
  /** Maintenance outside the weekly windows without the required notice (DOMAIN.md, status page). */
  MAINTENANCE_NOTICE_TOO_SHORT: 'MAINTENANCE_NOTICE_TOO_SHORT',
  /** A call to a blacklisted number. */
  DESTINATION_BLOCKED: 'DESTINATION_BLOCKED',
  /** Kamailio could not be reached or refused a call-control request. */
  TELEPHONY_UNAVAILABLE: 'TELEPHONY_UNAVAILABLE',
  /** The database does not answer (down, restarting, frozen, too slow); retry shortly. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** A WebSocket already holds WS_MAX_SUBSCRIPTIONS operations; the new one is refused, the others go on. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error meant for the client: its message and extensions are shown as they are. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extra, code } });
  }
}

export const badInput = (message: string, field?: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});

/** Another tenant's id and a missing id answer the same, so nothing leaks. */
export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);

export const forbidden = (message = 'You are not allowed to do this') =>
  new AppError(ErrorCode.FORBIDDEN, message);

export const unauthenticated = (message = 'Sign in or send an API key') =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);
