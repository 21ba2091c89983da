import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/context.js';
import { sqlOnce } from '../../platform/db/sql.js';
import { throttleBlocked, throttleHit, throttleKey, type ThrottleRule } from '../../platform/throttle/throttle.js';
import { DeliveryState } from '../interactions/interaction.entity.js';
import { ChannelAccountKind } from './channel-account.entity.js';
import { providerSecrets } from './channel-accounts.service.js';
import { accountById, takeInbound, type AccountRow } from './inbound.js';
import { moveDelivery } from './outbound.js';
import { TELEGRAM_SECRET_HEADER, parseTelegram, telegramSigned } from './telegram.js';
import { parseSms, smsStatus, twilioSigned } from './twilio.js';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** The URL the provider called, as it signed it: PUBLIC_URL (behind a proxy) or this request's host. */
const calledUrl = (app: App, request: FastifyRequest) => `${app.config.publicUrl?.replace(/\/$/, '') ?? `${request.protocol}://${request.headers.host}`}${request.url}`;

/** Refusals an address may collect before all its webhooks are answered 429 (providers sign every request). */
const refusalRule = (app: App): ThrottleRule => ({ limit: app.config.channelWebhookMaxRefusals, windowSeconds: 600, blockSeconds: 600, maxBlockSeconds: 3600 });
const refusalKey = (request: FastifyRequest) => throttleKey('channel-webhook:address', request.ip);

/** Unknown account, wrong kind, missing or forged signature: one answer, before anything is stored; counted per address. */
async function refuse(app: App, request: FastifyRequest, reply: FastifyReply, why: string) {
  request.log.warn({ url: request.url.replace(/\/[0-9a-f-]{36}/i, '/:account'), ip: request.ip }, `channel webhook refused: ${why}`);
  await throttleHit(app, refusalKey(request), refusalRule(app));
  return reply.code(403).send({ error: 'FORBIDDEN', message: 'The request is not signed by this account' });
}

async function twilioAccount(app: App, request: FastifyRequest<{ Params: { accountId: string } }>): Promise<{ account: AccountRow; params: URLSearchParams } | null> {
  const account = await accountById(app, request.params.accountId);
  if (!account || account.kind !== ChannelAccountKind.SMS) return null;
  const params = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
  const header = request.headers['x-twilio-signature'];
  const { authToken } = await providerSecrets(app, account);
  return twilioSigned(calledUrl(app, request), params, authToken!, typeof header === 'string' ? header : undefined) ? { account, params } : null;
}

/**
 * The providers' webhooks: SMS (Twilio: inbound messages and status callbacks, form-encoded,
 * X-Twilio-Signature) and Telegram (JSON updates, X-Telegram-Bot-Api-Secret-Token). Each checks
 * its signature before it reads or stores anything.
 */
export async function registerChannelRoutes(fastify: FastifyInstance, app: App): Promise<void> {
  await fastify.register(async (scope) => {
    // the exact text the provider signed
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
    // an address that keeps sending unsigned or forged webhooks is answered 429 before any lookup
    scope.addHook('preHandler', async (request, reply) => {
      if (app.config.channelWebhookMaxRefusals <= 0) return;
      const wait = await throttleBlocked(app, refusalKey(request));
      if (wait > 0) return reply.code(429).header('retry-after', String(wait)).send({ error: 'RATE_LIMITED', message: 'Too many refused webhooks from this address', retryAfterSeconds: wait });
    });

    scope.post<{ Params: { accountId: string } }>('/webhooks/channels/sms/:accountId', async (request, reply) => {
      const signed = await twilioAccount(app, request);
      if (!signed) return refuse(app, request, reply, 'missing or wrong X-Twilio-Signature');
      const text = parseSms(signed.params);
      const outcome = text ? await takeInbound(app, signed.account, text) : 'IGNORED';
      return reply.header('x-switchboard-outcome', outcome).type('text/xml').send(EMPTY_TWIML);
    });

    scope.post<{ Params: { accountId: string } }>('/webhooks/channels/sms/:accountId/status', async (request, reply) => {
      const signed = await twilioAccount(app, request);
      if (!signed) return refuse(app, request, reply, 'missing or wrong X-Twilio-Signature');
      const { params, account } = signed;
      const state = smsStatus(params.get('MessageStatus'));
      const sid = params.get('MessageSid');
      if (state && sid) {
        const [link] = await sqlOnce<{ message_id: string }>(app.orm,
          `select message_id from channel_message where account_id = ? and provider_id = ? and direction = 'OUTBOUND' and message_id is not null`, [account.id, sid]);
        const code = params.get('ErrorCode');
        const error = state === DeliveryState.FAILED ? `Twilio ${code ?? params.get('MessageStatus')}: ${params.get('ErrorMessage') ?? `message ${params.get('MessageStatus')}`}` : null;
        if (link) await moveDelivery(app, account.tenant_id, link.message_id, state, error);
      }
      return reply.type('text/xml').send(EMPTY_TWIML);
    });

    scope.post<{ Params: { accountId: string } }>('/webhooks/channels/telegram/:accountId', async (request, reply) => {
      const account = await accountById(app, request.params.accountId);
      if (!account || account.kind !== ChannelAccountKind.TELEGRAM) return refuse(app, request, reply, 'unknown account');
      const { webhookSecret } = await providerSecrets(app, account);
      if (!telegramSigned(request.headers[TELEGRAM_SECRET_HEADER], webhookSecret!)) return refuse(app, request, reply, `missing or wrong ${TELEGRAM_SECRET_HEADER}`);
      let update: unknown;
      try {
        update = JSON.parse(String(request.body));
      } catch {
        return reply.code(400).send({ error: 'BAD_REQUEST', message: 'The update is not JSON' });
      }
      const text = update && typeof update === 'object' ? parseTelegram(update) : null;
      const outcome = text ? await takeInbound(app, account, text) : 'IGNORED';
      return reply.header('x-switchboard-outcome', outcome).send({ ok: true });
    });
  });
}
