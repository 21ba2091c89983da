/**
 * A local HTTP peer shaped like Twilio's Messaging API, for tests: it checks the path, the basic
 * auth (account SID and auth token) and the parameters of `Messages.json`, answers like Twilio
 * (201 with a MessageSid, or a scripted error), and plays Twilio's side of the webhooks: form
 * posts signed with X-Twilio-Signature computed here from the auth token.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentSms {
  accountSid: string;
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
}

export interface TwilioPeer {
  /** Base URL to give as TWILIO_API_BASE. */
  url: string;
  sent: SentSms[];
  /** Requests refused for bad auth, path or parameters. */
  refused: string[];
  /** The next sends answer this error instead (Twilio's JSON error shape). */
  failNext(error: { status: number; code: number; message: string }, times?: number): void;
  /** Posts a form to one of our webhooks as Twilio does, signed with `authToken` (or with `signature` as given). */
  post(url: string, params: Record<string, string>, authToken: string, signature?: string | null): Promise<Response>;
  stop(): Promise<void>;
}

/** Twilio's algorithm, written here from its documentation: HMAC-SHA1(url + sorted name+value pairs), base64. */
export function signTwilio(url: string, params: Record<string, string>, authToken: string): string {
  const data = Object.keys(params).sort().reduce((text, key) => text + key + params[key], url);
  return createHmac('sha1', authToken).update(data).digest('base64');
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(text)).on('error', reject);
  });

export async function startTwilioPeer(accounts: Record<string, string>): Promise<TwilioPeer> {
  const sent: SentSms[] = [];
  const refused: string[] = [];
  const failures: { status: number; code: number; message: string }[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const answer = (status: number, json: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      refused.push(`${req.method} ${req.url}`);
      return answer(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    }
    const sid = decodeURIComponent(match[1]!);
    const [scheme, credentials] = (req.headers.authorization ?? '').split(' ');
    const [user, password] = Buffer.from(credentials ?? '', 'base64').toString().split(':');
    if (scheme !== 'Basic' || user !== sid || !accounts[sid] || accounts[sid] !== password) {
      refused.push(`bad auth for ${sid}`);
      return answer(401, { code: 20003, message: 'Authenticate', status: 401 });
    }
    if (!/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
      refused.push('not form-encoded');
      return answer(400, { code: 21600, message: 'Bad content type', status: 400 });
    }
    const form = new URLSearchParams(body);
    const to = form.get('To');
    const from = form.get('From');
    const text = form.get('Body');
    if (!to || !from || !text) {
      refused.push('missing To, From or Body');
      return answer(400, { code: 21604, message: "A 'To', 'From' and 'Body' are required", status: 400 });
    }
    const failure = failures.shift();
    if (failure) return answer(failure.status, { code: failure.code, message: failure.message, more_info: `https://www.twilio.com/docs/errors/${failure.code}`, status: failure.status });
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    sent.push({ accountSid: sid, sid: messageSid, to, from, body: text, statusCallback: form.get('StatusCallback') });
    return answer(201, { sid: messageSid, account_sid: sid, to, from, body: text, status: 'queued', num_segments: '1' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    refused,
    failNext(error, times = 1) {
      for (let n = 0; n < times; n++) failures.push(error);
    },
    post(url, params, authToken, signature) {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TwilioProxy/1.1' };
      const sig = signature === undefined ? signTwilio(url, params, authToken) : signature;
      if (sig !== null) headers['x-twilio-signature'] = sig;
      return fetch(url, { method: 'POST', headers, body: new URLSearchParams(params) });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
