/**
 * "The database is not there right now": connection refused or cut, a connect or pool wait that
 * timed out, a statement the server cancelled for time, a server that does not answer at all.
 * Such errors reach clients as SERVICE_UNAVAILABLE (format-error.ts), not as internal errors.
 */
import pg from 'pg';

/** Thrown when the database did not answer within the configured time. */
export class DatabaseTimeoutError extends Error {
  readonly code = 'DB_READ_TIMEOUT';
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
    this.name = 'DatabaseTimeoutError';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'DB_READ_TIMEOUT']);
// SQLSTATE: class 08 (connection exception), 57P01-57P03 (shutting down, crashed, starting up),
// 53300 (too many connections), 57014 (statement cancelled: statement_timeout).
const SQLSTATES = /^(08...|57P0[1-3]|53300|57014)$/;
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|timeout expired|Query read timeout|not queryable|terminating connection|the database system is (starting up|shutting down|in recovery)|Connection refused|connect ECONNREFUSED/i;

/** True for an error (or an error it wraps) that says the database is unreachable or too slow. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = err as Record<string, unknown> | undefined; e && typeof e === 'object' && !seen.has(e); ) {
    seen.add(e);
    const code = typeof e.code === 'string' ? e.code : undefined;
    const sqlState = typeof e.sqlState === 'string' ? e.sqlState : code;
    if (e instanceof DatabaseTimeoutError) return true;
    if (code && NETWORK_CODES.has(code)) return true;
    if (sqlState && SQLSTATES.test(sqlState)) return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
    e = (e.originalError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return false;
}

/**
 * A `pg` client whose promise queries give up after `readTimeoutMs` (a frozen or unreachable
 * server would otherwise keep them, and the request, waiting for ever). The connection is
 * destroyed, not reused: its transaction state is unknown, and the pool replaces it.
 * `pg`'s own `query_timeout` returns such a connection to the pool with its query still in flight.
 */
export function timedClient(readTimeoutMs: number): typeof pg.Client {
  return class TimedClient extends pg.Client {
    // `any`: pg.Client.query has a dozen overloads; this only wraps whatever it returns.
    override query(...args: unknown[]): any {
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (!(result instanceof Promise)) return result;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      result.then(() => void (settled = true), () => void (settled = true));
      const timeout = new Promise<never>((_, reject) => {
        // setImmediate: after a stalled event loop, an answer that arrived meanwhile is read first
        timer = setTimeout(() => setImmediate(() => {
          if (settled) return;
          (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
          reject(new DatabaseTimeoutError(readTimeoutMs));
        }), readTimeoutMs);
        timer.unref();
      });
      return Promise.race([result, timeout]).finally(() => clearTimeout(timer));
    }
  };
}
