/** Shared steps of the channel tests: an API wired to local Twilio and Telegram peers, accounts, and waiting. */
import assert from 'node:assert/strict';
import { freePort } from '../platform/net.js';
import { startTestApi, type TestApi } from './harness.js';
import { startTelegramPeer, type TelegramPeer } from './telegram-peer.js';
import { startTwilioPeer, type TwilioPeer } from './twilio-peer.js';

export const SID = 'AC0123456789abcdef0123456789abcdef';
export const AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';
export const BOT_TOKEN = '123456789:AAE-telegram-bot-token-abcdefghij';

export interface ChannelRig {
  api: TestApi;
  twilio: TwilioPeer;
  telegram: TelegramPeer;
  stop(): Promise<void>;
}

/** The API on a known port (PUBLIC_URL is what Twilio signs), with both providers pointing at local peers. */
export async function channelRig(config: Record<string, unknown> = {}): Promise<ChannelRig> {
  const twilio = await startTwilioPeer({ [SID]: AUTH_TOKEN });
  const telegram = await startTelegramPeer([BOT_TOKEN]);
  const port = await freePort();
  const api = await startTestApi({
    config: { port, publicUrl: `http://127.0.0.1:${port}`, twilioApiBase: twilio.url, telegramApiBase: telegram.url, channelSendAttempts: 2, ...config },
  });
  return { api, twilio, telegram, stop: async () => void (await Promise.all([api.stop(), twilio.stop(), telegram.stop()])) };
}

const CREATE = `mutation($i: ChannelAccountInput!) { createChannelAccount(input: $i) { webhookSecret account { id kind webhookPath statusCallbackPath } } }`;

export async function smsAccount(api: TestApi, token: string, campaignId: string, name = 'SMS') {
  const r = await api.ok(CREATE, { i: { kind: 'SMS', name, campaignId, address: '+1 514 555 0000', accountSid: SID, authToken: AUTH_TOKEN } }, token);
  const a = r.createChannelAccount.account;
  return { id: a.id as string, webhook: `${api.url}${a.webhookPath}`, status: `${api.url}${a.statusCallbackPath}` };
}

export async function telegramAccount(api: TestApi, token: string, campaignId: string, name = 'Telegram') {
  const r = await api.ok(CREATE, { i: { kind: 'TELEGRAM', name, campaignId, address: '@switchboard_bot', botToken: BOT_TOKEN } }, token);
  return { id: r.createChannelAccount.account.id as string, webhook: `${api.url}${r.createChannelAccount.account.webhookPath}`, secret: r.createChannelAccount.webhookSecret as string };
}

/** Waits for a condition, polling; fails with `what` after `ms`. */
export async function until<T>(what: string, check: () => T | Promise<T>, ms = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Rows of a table, counted straight in the database: "nothing was written" is checked there. */
export async function rows(api: TestApi, table: 'channel_message' | 'interaction' | 'contact' | 'message', tenantId: string): Promise<number> {
  const [row] = await api.running.app.orm.em.getConnection().execute<{ n: string }[]>(`select count(*) as n from ${table} where tenant_id = ?`, [tenantId]);
  return Number(row!.n);
}
