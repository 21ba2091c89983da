/**
 * A local HTTP peer shaped like Telegram's Bot API, for tests: `POST /bot<token>/sendMessage`
 * with a JSON body (chat_id, text), checked against the bot tokens it knows, answered like
 * Telegram (`{ ok, result }` or `{ ok: false, error_code, description }`); and Telegram's side of
 * the webhook, with the X-Telegram-Bot-Api-Secret-Token header.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentTelegram {
  botToken: string;
  chatId: string;
  text: string;
  messageId: number;
}

export interface TelegramPeer {
  url: string;
  sent: SentTelegram[];
  refused: string[];
  failNext(error: { status: number; description: string }): void;
  /** Posts an update to our webhook as Telegram does (secret null: no header). */
  post(url: string, update: object, secret: string | null): Promise<Response>;
  stop(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(text)).on('error', reject);
  });

export async function startTelegramPeer(botTokens: string[]): Promise<TelegramPeer> {
  const sent: SentTelegram[] = [];
  const refused: string[] = [];
  const failures: { status: number; description: string }[] = [];
  let nextId = 1000;
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const answer = (status: number, json: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    const match = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      refused.push(`${req.method} ${req.url}`);
      return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
    }
    const token = decodeURIComponent(match[1]!);
    if (!botTokens.includes(token)) {
      refused.push('unknown bot token');
      return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    let payload: { chat_id?: string | number; text?: string };
    try {
      payload = JSON.parse(body);
    } catch {
      refused.push('not JSON');
      return answer(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
    }
    if (!payload.chat_id || !payload.text) {
      refused.push('missing chat_id or text');
      return answer(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    }
    const failure = failures.shift();
    if (failure) return answer(failure.status, { ok: false, error_code: failure.status, description: failure.description });
    const messageId = nextId++;
    sent.push({ botToken: token, chatId: String(payload.chat_id), text: payload.text, messageId });
    return answer(200, { ok: true, result: { message_id: messageId, chat: { id: Number(payload.chat_id), type: 'private' }, date: Math.floor(Date.now() / 1000), text: payload.text } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    refused,
    failNext: (error) => void failures.push(error),
    post(url, update, secret) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
      return fetch(url, { method: 'POST', headers, body: JSON.stringify(update) });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
