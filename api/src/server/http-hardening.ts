import type { FastifyInstance } from 'fastify';
import type { Config } from '../platform/config.js';

/**
 * Headers of every HTML page the API serves (status page, confirmation page): no script at all,
 * inline styles only, never inside a frame, no referrer leaking tokens in links.
 */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * Every response says `X-Content-Type-Options: nosniff`; HTML ones also get HTML_SECURITY_HEADERS.
 * Other answers keep their own CORS (the widget bundles are fetched from any website).
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    }
    return payload;
  });
}

/**
 * Fastify options that bound slow or half-open clients: the request headers and the whole request
 * must arrive within HTTP_HEADERS_TIMEOUT_MS / HTTP_REQUEST_TIMEOUT_MS, a connection idle (no byte
 * either way) for HTTP_REQUEST_TIMEOUT_MS closes, and so does a keep-alive connection idle between
 * requests for HTTP_KEEP_ALIVE_TIMEOUT_MS. Node checks the first two on a timer, run
 * here often enough (at most 1 s) for a short test timeout to act promptly. An upgraded WebSocket
 * is no longer an HTTP request and is not affected.
 */
export function nodeServerTimeouts(config: Pick<Config, 'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs' | 'httpKeepAliveTimeoutMs'>) {
  const request = config.httpRequestTimeoutMs;
  // Node refuses a headers timeout longer than the request timeout
  const headers = request > 0 && config.httpHeadersTimeoutMs > 0 ? Math.min(config.httpHeadersTimeoutMs, request) : config.httpHeadersTimeoutMs;
  const shortest = Math.min(...[headers, request].filter((t) => t > 0), 2000);
  return {
    requestTimeout: request,
    // a connection that sends nothing at all (not even a header) is closed after as long idle
    connectionTimeout: request,
    keepAliveTimeout: config.httpKeepAliveTimeoutMs,
    http: { headersTimeout: headers, connectionsCheckingInterval: Math.max(50, Math.floor(shortest / 2)) },
  };
}
