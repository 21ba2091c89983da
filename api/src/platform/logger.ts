import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * A URL as logs may show it: the path, and the query's parameter names with every value
 * replaced, because query strings carry capabilities (status confirmation tokens, signed
 * recording links, visitor tokens).
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = url.slice(at + 1).split('&').filter(Boolean).map((pair) => `${pair.split('=')[0].slice(0, 40)}=[redacted]`);
  return `${url.slice(0, at)}?${names.join('&')}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remoteAddress?: string; remotePort?: number };
}

/** Structured JSON logs on stdout (or `destination`); secrets are redacted wherever they appear. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'switchboard-api' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.password', '*.refreshToken', '*.secret'],
        censor: '[redacted]',
      },
      serializers: {
        // Fastify's request line, with the query string's values removed.
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: redactUrl(req.url),
          host: req.host,
          remoteAddress: req.ip ?? req.socket?.remoteAddress,
          remotePort: req.socket?.remotePort,
        }),
      },
    },
    destination,
  );
}
