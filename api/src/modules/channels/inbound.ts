import type { App } from '../../platform/context.js';
import { sqlOnce, sqlTransaction } from '../../platform/db/sql.js';
import { uuidv7 } from '../../platform/ids.js';
import { normaliseIdentifier } from '../contacts/identifiers.js';
import { CHANNEL_IDENTIFIER, Channel, DeliveryState, Direction, MessageSender } from '../interactions/interaction.entity.js';
import { InteractionEventKind } from '../interactions/interaction.events.js';
import { receive } from '../routing/receive.js';
import { publish } from '../routing/routing.events.js';
import { GraphQLError } from 'graphql';
import type { InboundText } from './adapter.js';
import { ChannelAccountKind } from './channel-account.entity.js';

/** The account as webhooks read it (one statement, no tenant scope yet: the URL names it). */
export interface AccountRow {
  id: string;
  tenant_id: string;
  kind: ChannelAccountKind;
  campaign_id: string | null;
  active: boolean;
  secrets: string;
  account_sid: string | null;
  address: string | null;
}

export const CHANNEL_OF: Record<ChannelAccountKind, Channel> = {
  [ChannelAccountKind.SMS]: Channel.SMS,
  [ChannelAccountKind.TELEGRAM]: Channel.TELEGRAM,
};

/** What became of an inbound message; webhooks answer 200 to each, so the provider stops retrying. */
export type InboundOutcome = 'STORED' | 'DUPLICATE' | 'CLOSED' | 'REFUSED' | 'IGNORED';

export async function accountById(app: App, id: string): Promise<AccountRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await sqlOnce<AccountRow>(app.orm, 'select id, tenant_id, kind, campaign_id, active, secrets, account_sid, address from channel_account where id = ?', [id]);
  return row ?? null;
}

/** One sender's messages are taken one at a time (on this instance), so two quick ones make one conversation. */
const turns = new Map<string, Promise<unknown>>();
function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = turns.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(work);
  turns.set(key, next);
  void next.finally(() => turns.get(key) === next && turns.delete(key)).catch(() => {});
  return next;
}

/**
 * A verified inbound message: ignored when its provider id was seen (a retried webhook); added to
 * the sender's open conversation on this account; otherwise a new interaction through `receive`
 * (blacklist, licence, opening hours, queue). The claim on the provider id is written first and
 * removed again when nothing could be stored, so a refused message leaves nothing behind.
 */
export async function takeInbound(app: App, account: AccountRow, text: InboundText): Promise<InboundOutcome> {
  const channel = CHANNEL_OF[account.kind];
  const tenantId = account.tenant_id;
  let from: string;
  try {
    from = normaliseIdentifier(CHANNEL_IDENTIFIER[channel], text.from, 'from');
  } catch {
    app.log.warn({ accountId: account.id, from: text.from }, 'channel webhook: sender is no valid identifier; ignored');
    return 'IGNORED';
  }
  if (!text.body.trim()) {
    app.log.info({ accountId: account.id }, 'channel webhook: a message without text (attachments are not taken yet); ignored');
    return 'IGNORED';
  }
  if (!account.campaign_id || !account.active) {
    app.log.warn({ accountId: account.id }, 'channel webhook: the account is inactive or has no campaign; message refused');
    return 'REFUSED';
  }
  const campaignId = account.campaign_id;
  return inTurn(`${account.id}:${from}`, async () => {
    const claim = uuidv7();
    const now = app.clock.now();
    const claimed = await sqlOnce(app.orm,
      `insert into channel_message (id, tenant_id, account_id, direction, provider_id, attempts, created_at) values (?, ?, ?, ?, ?, 0, ?)
       on conflict (account_id, provider_id) do nothing returning id`,
      [claim, tenantId, account.id, Direction.INBOUND, text.providerId.slice(0, 128), now]);
    if (!claimed.length) return 'DUPLICATE';
    try {
      if (await continueConversation(app, account, channel, from, text.body, claim)) return 'STORED';
      const reception = await receive(app, tenantId, { channel, campaignId, from, customerName: text.name, firstMessage: text.body });
      if (reception.outcome === 'CLOSED') {
        await sqlOnce(app.orm, 'delete from channel_message where id = ?', [claim]);
        return 'CLOSED';
      }
      await sqlOnce(app.orm, 'update channel_message set message_id = (select id from message where interaction_id = ? order by id limit 1) where id = ?', [reception.interaction.id, claim]);
      return 'STORED';
    } catch (err) {
      await sqlOnce(app.orm, 'delete from channel_message where id = ?', [claim]);
      if (err instanceof GraphQLError && err.extensions.code) {
        app.log.warn({ tenantId, accountId: account.id, code: err.extensions.code }, `channel webhook: message refused (${err.message})`);
        return 'REFUSED';
      }
      throw err;
    }
  });
}

/** Adds the message to the sender's open conversation that came through this account, if there is one. */
async function continueConversation(app: App, account: AccountRow, channel: Channel, from: string, body: string, claim: string): Promise<boolean> {
  const now = app.clock.now();
  const result = await sqlTransaction(app.orm, async (sql) => {
    const [open] = await sql<{ id: string; queue_id: string | null; agent_id: string | null }>(
      `select i.id, i.queue_id, i.agent_id from interaction i
        where i.tenant_id = ? and i.channel = ? and i.customer_address = ? and i.state in ('QUEUED', 'OFFERED', 'ACTIVE')
          and exists (select 1 from channel_message cm join message m on m.id = cm.message_id where m.interaction_id = i.id and cm.account_id = ?)
        order by i.created_at desc limit 1 for update`,
      [account.tenant_id, channel, from, account.id],
    );
    if (!open) return null;
    const messageId = uuidv7();
    await sql(
      `with m as (insert into message (id, tenant_id, interaction_id, sender, body, delivery_state, created_at) values (?, ?, ?, ?, ?, ?, ?) returning id)
       update channel_message set message_id = (select id from m) where id = ?`,
      [messageId, account.tenant_id, open.id, MessageSender.CUSTOMER, body, DeliveryState.DELIVERED, now, claim],
    );
    return { open, messageId };
  });
  if (!result) return false;
  const { open, messageId } = result;
  publish(app, account.tenant_id, InteractionEventKind.MESSAGE, { interactionId: open.id, queueId: open.queue_id, agentId: open.agent_id }, messageId, null, {
    id: messageId, sender: MessageSender.CUSTOMER, authorId: null, body, deliveryState: DeliveryState.DELIVERED, deliveryError: null, createdAt: now.toISOString(),
  });
  return true;
}
