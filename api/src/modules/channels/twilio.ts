import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryState } from '../interactions/interaction.entity.js';
import { PROVIDER_TIMEOUT_MS, failure, isPermanent, type InboundText, type SendResult } from './adapter.js';

/**
 * Twilio's request signature: HMAC-SHA1, keyed with the auth token, over the full URL Twilio
 * called followed by every POST parameter name and value, sorted by name; base64.
 */
export function twilioSignature(url: string, params: URLSearchParams, authToken: string): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return createHmac('sha1', authToken).update(url + sorted.map(([k, v]) => k + v).join('')).digest('base64');
}

export function twilioSigned(url: string, params: URLSearchParams, authToken: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(twilioSignature(url, params, authToken));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** An inbound SMS webhook's message, or null when it carries none. */
export function parseSms(params: URLSearchParams): InboundText | null {
  const sid = params.get('MessageSid') ?? params.get('SmsSid');
  const from = params.get('From');
  if (!sid || !from) return null;
  return { providerId: sid, from, body: params.get('Body') ?? '' };
}

/** Delivery states of Twilio's MessageStatus values; null for steps that change nothing here (queued, sending...). */
export function smsStatus(status: string | null): DeliveryState | null {
  switch (status) {
    case 'sent':
      return DeliveryState.SENT;
    case 'delivered':
      return DeliveryState.DELIVERED;
    case 'read':
      return DeliveryState.READ;
    case 'failed':
    case 'undelivered':
      return DeliveryState.FAILED;
    default:
      return null;
  }
}

/** POST /2010-04-01/Accounts/{Sid}/Messages.json with basic auth (SID, auth token). */
export async function sendSms(
  base: string,
  account: { accountSid: string; from: string; authToken: string },
  to: string,
  body: string,
  statusCallback: string | null,
): Promise<SendResult> {
  const form = new URLSearchParams({ To: to, From: account.from, Body: body });
  if (statusCallback) form.set('StatusCallback', statusCallback);
  let response: Response;
  try {
    response = await fetch(`${base.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form,
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
  } catch (err) {
    return failure(false, `Twilio could not be reached: ${(err as Error).message}`);
  }
  const answer = (await response.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
  if (response.ok && answer.sid) return { ok: true, providerId: answer.sid, state: DeliveryState.SENT };
  const reason = `Twilio ${answer.code ?? response.status}: ${answer.message ?? response.statusText}`;
  return failure(isPermanent(response.status), reason);
}
