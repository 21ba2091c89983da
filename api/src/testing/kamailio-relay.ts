/**
 * An HTTP relay between the real Kamailio and the API that keeps a copy of every request: Kamailio
 * is pointed at it (TELEPHONY_API_URL, `apiUrlForKamailio`), it passes each request on to the API
 * unchanged and the API's answer back. The contract test holds every copy to kamailio.contract.ts.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KamailioRequestSeen } from '../modules/telephony/kamailio.contract.js';

export interface RelayedRequest extends KamailioRequestSeen {
  /** The API's answer: HTTP status and body. */
  status: number;
  response: string;
}

export interface KamailioRelay {
  /** Where Kamailio should post (no trailing slash). */
  url: string;
  /** Every request so far, in the order they arrived. */
  requests: RelayedRequest[];
  /** Where requests go on to (the API's URL, known once it runs); until set, the relay answers 503. */
  forwardTo(url: string): void;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** Hop-by-hop headers stay with their connection. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

export async function startKamailioRelay(): Promise<KamailioRelay> {
  let target: string | null = null;
  const requests: RelayedRequest[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const seen: RelayedRequest = { method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, body, status: 503, response: '' };
    requests.push(seen);
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)).map(([k, v]) => [k, String(v)]));
      const answer = await fetch(`${target}${seen.path}`, { method: seen.method, headers, body: seen.method === 'GET' || seen.method === 'HEAD' ? undefined : body });
      seen.status = answer.status;
      seen.response = await answer.text();
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(seen.response);
    } catch (err) {
      seen.status = 502;
      seen.response = String(err);
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    forwardTo(url) {
      target = url.replace(/\/+$/, '');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
