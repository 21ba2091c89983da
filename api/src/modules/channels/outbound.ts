import type { App } from '../../platform/context.js';
import { sqlOnce } from '../../platform/db/sql.js';
import { uuidv7 } from '../../platform/ids.js';
import { Channel, DeliveryState, Direction } from '../interactions/interaction.entity.js';
import { InteractionEventKind } from '../interactions/interaction.events.js';
import { publish } from '../routing/routing.events.js';
import type { SendResult } from './adapter.js';
import { ChannelAccountKind } from './channel-account.entity.js';
import { providerSecrets, webhookPath } from './channel-accounts.service.js';
import { sendTelegram } from './telegram.js';
import { sendSms } from './twilio.js';

export const SEND_QUEUE = 'channels.send';

/** Channels whose agent messages leave through a provider adapter (QUEUED, then a send job). */
export const ADAPTER_CHANNELS: ReadonlySet<Channel> = new Set([Channel.SMS, Channel.TELEGRAM]);

/** The states a message may move to from each state: callbacks arriving late or twice never move it back. */
const BEFORE: Record<DeliveryState, DeliveryState[]> = {
  [DeliveryState.PENDING]: [],
  [DeliveryState.QUEUED]: [],
  [DeliveryState.SENT]: [DeliveryState.QUEUED],
  [DeliveryState.DELIVERED]: [DeliveryState.QUEUED, DeliveryState.SENT],
  [DeliveryState.READ]: [DeliveryState.QUEUED, DeliveryState.SENT, DeliveryState.DELIVERED],
  [DeliveryState.FAILED]: [DeliveryState.QUEUED, DeliveryState.SENT],
};

interface MovedRow {
  id: string;
  interaction_id: string;
  queue_id: string | null;
  agent_id: string | null;
  sender: 'AGENT';
  author_id: string | null;
  body: string;
  created_at: Date;
}

/** Moves a message's delivery state forward (never back) and tells subscribers (DELIVERY event, with the message). */
export async function moveDelivery(app: App, tenantId: string, messageId: string, state: DeliveryState, error: string | null = null): Promise<boolean> {
  const [row] = await sqlOnce<MovedRow>(app.orm,
    `update message m set delivery_state = ?, delivery_error = ?
       from interaction i
      where m.id = ? and m.tenant_id = ? and i.id = m.interaction_id and m.delivery_state in (${BEFORE[state].map(() => '?').join(', ') || 'null'})
      returning m.id, m.interaction_id, i.queue_id, i.agent_id, m.sender, m.author_id, m.body, m.created_at`,
    [state, error?.slice(0, 500) ?? null, messageId, tenantId, ...BEFORE[state]]);
  if (!row) return false;
  publish(app, tenantId, InteractionEventKind.DELIVERY, { interactionId: row.interaction_id, queueId: row.queue_id, agentId: row.agent_id }, row.id, null, {
    id: row.id, sender: row.sender, authorId: row.author_id, body: row.body, deliveryState: state, deliveryError: error?.slice(0, 500) ?? null, createdAt: new Date(row.created_at).toISOString(),
  });
  return true;
}

/**
 * An agent's message on an adapter channel, stored QUEUED: a send job through the account that
 * carries the conversation (the one its customer wrote through). The message id is the job's
 * idempotency key: however often the job runs, a message leaves at most once per lease.
 */
export async function queueSend(app: App, tenantId: string, interactionId: string, messageId: string): Promise<void> {
  const [link] = await sqlOnce<{ id: string }>(app.orm,
    `insert into channel_message (id, tenant_id, account_id, direction, attempts, message_id, created_at)
     select ?, ?, cm.account_id, ?, 0, ?, ? from channel_message cm join message m on m.id = cm.message_id
      where m.interaction_id = ? and m.tenant_id = ? and cm.direction = 'INBOUND' order by cm.created_at desc limit 1
     returning id`,
    [uuidv7(), tenantId, Direction.OUTBOUND, messageId, app.clock.now(), interactionId, tenantId]);
  if (!link) {
    await moveDelivery(app, tenantId, messageId, DeliveryState.FAILED, 'No channel account carries this conversation');
    return;
  }
  try {
    const attempts = app.config.channelSendAttempts;
    await app.jobs.send(SEND_QUEUE, { tenantId, messageId }, { singletonKey: `send:${messageId}`, retryLimit: attempts, retryDelay: 5, retryBackoff: true });
  } catch (err) {
    app.log.error({ err, messageId }, 'a channel message could not be queued');
    await moveDelivery(app, tenantId, messageId, DeliveryState.FAILED, 'The message could not be queued for sending');
  }
}

interface SendRow {
  link_id: string;
  attempts: number;
  body: string;
  to: string;
  account_id: string;
  kind: ChannelAccountKind;
  account_sid: string | null;
  address: string | null;
  secrets: string;
}

/** The send job: takes the lease, calls the provider, records its answer. Throws to be retried. */
export async function sendOne(app: App, { tenantId, messageId }: { tenantId: string; messageId: string }): Promise<void> {
  const [row] = await sqlOnce<SendRow>(app.orm,
    `update channel_message cm set attempts = cm.attempts + 1, lease_until = now() + interval '60 seconds'
       from message m, interaction i, channel_account a
      where cm.message_id = ? and cm.tenant_id = ? and cm.direction = 'OUTBOUND' and cm.provider_id is null and (cm.lease_until is null or cm.lease_until < now())
        and m.id = cm.message_id and m.delivery_state = 'QUEUED' and i.id = m.interaction_id and a.id = cm.account_id
      returning cm.id as link_id, cm.attempts, m.body, i.customer_address as to, a.id as account_id, a.kind, a.account_sid, a.address, a.secrets`,
    [messageId, tenantId]);
  // sent already (the provider's id is kept before anything else), or another job holds the lease
  if (!row) return;
  const result = await callProvider(app, row);
  if (result.ok) {
    await sqlOnce(app.orm, 'update channel_message set provider_id = ?, lease_until = null where id = ?', [result.providerId, row.link_id]);
    await moveDelivery(app, tenantId, messageId, result.state);
    return;
  }
  if (result.permanent || row.attempts >= app.config.channelSendAttempts) {
    await sqlOnce(app.orm, 'update channel_message set lease_until = null where id = ?', [row.link_id]);
    await moveDelivery(app, tenantId, messageId, DeliveryState.FAILED, result.reason);
    return;
  }
  await sqlOnce(app.orm, 'update channel_message set lease_until = null where id = ?', [row.link_id]);
  throw new Error(`send attempt ${row.attempts} failed: ${result.reason}`);
}

async function callProvider(app: App, row: SendRow): Promise<SendResult> {
  const secrets = await providerSecrets(app, { id: row.account_id, secrets: row.secrets });
  if (row.kind === ChannelAccountKind.SMS) {
    const base = app.config.publicUrl?.replace(/\/$/, '');
    const statusCallback = base ? `${base}${webhookPath({ id: row.account_id, kind: row.kind })}/status` : null;
    return sendSms(app.config.twilioApiBase, { accountSid: row.account_sid!, from: row.address!, authToken: secrets.authToken! }, row.to, row.body, statusCallback);
  }
  return sendTelegram(app.config.telegramApiBase, secrets.botToken!, row.to, row.body);
}
