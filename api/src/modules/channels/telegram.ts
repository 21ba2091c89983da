import { timingSafeEqual } from 'node:crypto';
import { DeliveryState } from '../interactions/interaction.entity.js';
import { PROVIDER_TIMEOUT_MS, failure, isPermanent, type InboundText, type SendResult } from './adapter.js';

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export function telegramSigned(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

interface Update {
  update_id?: number;
  message?: {
    message_id?: number;
    from?: { id?: number; is_bot?: boolean; first_name?: string; last_name?: string; username?: string };
    chat?: { id?: number; type?: string };
    text?: string;
    caption?: string;
  };
}

/**
 * A text message of a private chat, or null (edits, groups, joins... are acknowledged and left).
 * Its provider id is "chat id:message id", the pair Telegram keeps unique.
 */
export function parseTelegram(update: Update): InboundText | null {
  const m = update.message;
  if (!m?.chat?.id || m.chat.type !== 'private' || !m.from?.id || m.from.is_bot || m.message_id === undefined) return null;
  const body = m.text ?? m.caption ?? '';
  if (!body) return null;
  const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ') || m.from.username;
  return { providerId: `${m.chat.id}:${m.message_id}`, from: String(m.from.id), ...(name && { name }), body };
}

/**
 * POST /bot<token>/sendMessage. Telegram gives bots no delivery or read receipts: a message it
 * accepted is SENT, and stays so.
 */
export async function sendTelegram(base: string, botToken: string, chatId: string, text: string): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(`${base.replace(/\/$/, '')}/bot${botToken}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: chatId, text }),
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
  } catch (err) {
    return failure(false, `Telegram could not be reached: ${(err as Error).message}`);
  }
  const answer = (await response.json().catch(() => ({}))) as { ok?: boolean; result?: { message_id?: number }; error_code?: number; description?: string };
  if (response.ok && answer.ok && answer.result?.message_id !== undefined) {
    return { ok: true, providerId: `${chatId}:${answer.result.message_id}`, state: DeliveryState.SENT };
  }
  return failure(isPermanent(response.status), `Telegram ${answer.error_code ?? response.status}: ${answer.description ?? response.statusText}`);
}
