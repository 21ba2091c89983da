import { randomBytes } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { platformEm, tenantEm } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { opaqueToken, sha256 } from '../../platform/auth/tokens.js';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant, TenantStatus } from '../tenants/tenant.entity.js';
import { Campaign, OutOfHoursAction } from '../campaigns/campaign.entity.js';
import { campaignCalendar } from '../campaigns/schedule.js';
import { isOpen } from '../tickets/sla.js';
import { Channel, DeliveryState, Interaction, InteractionState, Message, MessageSender } from '../interactions/interaction.entity.js';
import { InteractionEventKind } from '../interactions/interaction.events.js';
import { receive } from '../routing/receive.js';
import { publish } from '../routing/routing.events.js';
import { VisitorSession, WidgetKey } from './webchat.entity.js';
import { throttleHit, throttleKey, throttleOrThrow, type ThrottleRule } from '../../platform/throttle/throttle.js';

export const MAX_MESSAGE_LENGTH = 2000;
/** A visitor may send this many messages per window; more is RATE_LIMITED. */
export const RATE_LIMIT = { messages: 10, windowSeconds: 10 };
const OPEN = [InteractionState.QUEUED, InteractionState.OFFERED, InteractionState.ACTIVE];

/**
 * Anonymous floods (shared by every instance, see platform/throttle): chat starts per source
 * address (WEBCHAT_STARTS_PER_ADDRESS per 10 minutes) and per widget key (WEBCHAT_STARTS_PER_KEY
 * per minute) answer RATE_LIMITED; typing events per chat (WEBCHAT_TYPING_LIMIT per 5 seconds)
 * beyond the limit are dropped (visitorTyping answers false).
 */
export function webchatRules(config: App['config']): { perAddress: ThrottleRule; perKey: ThrottleRule; typing: ThrottleRule } {
  return {
    perAddress: { limit: config.webchatStartsPerAddress, windowSeconds: 600, blockSeconds: 600, maxBlockSeconds: 3600 },
    perKey: { limit: config.webchatStartsPerKey, windowSeconds: 60, blockSeconds: 60 },
    typing: { limit: config.webchatTypingLimit, windowSeconds: 5, blockSeconds: 5 },
  };
}

/** Widget keys allow exact origins only, e.g. https://www.example.com (scheme, host and port). */
export function normaliseOrigins(origins: readonly string[]): string[] {
  if (origins.length === 0 || origins.length > 20) throw badInput('Give 1 to 20 allowed origins', 'allowedOrigins');
  return [...new Set(origins.map((o) => {
    let url: URL;
    try {
      url = new URL(o.trim());
    } catch {
      throw badInput(`"${o}" is not an origin like https://www.example.com`, 'allowedOrigins');
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== o.trim().replace(/\/$/, '')) {
      throw badInput(`"${o}" is not an origin like https://www.example.com`, 'allowedOrigins');
    }
    return url.origin;
  }))];
}

export async function createWidgetKey(em: Em, tenantId: string, campaignId: string, origins: string[]): Promise<WidgetKey> {
  const campaign = await em.findOne(Campaign, { id: campaignId, tenant: tenantId });
  if (!campaign) throw notFound('Campaign');
  const key = em.create(WidgetKey, {
    tenant: em.getReference(Tenant, tenantId),
    campaign,
    key: `wk_${randomBytes(18).toString('base64url')}`,
    allowedOrigins: normaliseOrigins(origins),
  });
  await em.flush();
  return key;
}

export async function revokeWidgetKey(em: Em, tenantId: string, id: string): Promise<WidgetKey> {
  const key = await em.findOne(WidgetKey, { id, tenant: tenantId });
  if (!key) throw notFound('Widget key');
  key.revokedAt ??= new Date();
  await em.flush();
  return key;
}

function assertOrigin(allowedOrigins: readonly string[], origin: string | undefined) {
  if (!origin || !allowedOrigins.includes(origin)) {
    throw new AppError(ErrorCode.ORIGIN_NOT_ALLOWED, 'This website may not use this chat widget');
  }
}

/** A usable widget key (known, not revoked, tenant active) called from one of its origins. */
async function widgetKey(app: App, key: string, origin: string | undefined): Promise<WidgetKey> {
  if (key.length > 64) throw notFound('Widget key');
  const found = await platformEm(app.orm).findOne(WidgetKey, { key, revokedAt: null }, { populate: ['tenant'] });
  if (!found || found.tenant.status !== TenantStatus.ACTIVE) throw notFound('Widget key');
  assertOrigin(found.allowedOrigins, origin);
  return found;
}

export interface WidgetStatus {
  open: boolean;
  outOfHoursAction: OutOfHoursAction;
  outOfHoursMessage: string | null;
  welcomeMessage: string | null;
}

/** What the widget shows before a chat starts: open now, or which out-of-hours form. */
export async function widgetStatus(app: App, key: string, origin: string | undefined): Promise<WidgetStatus> {
  const wk = await widgetKey(app, key, origin);
  const campaign = await tenantEm(app.orm, wk.tenant.id).findOne(Campaign, { id: wk.campaign.id, tenant: wk.tenant.id });
  if (!campaign || !campaign.active) throw notFound('Widget key');
  return {
    open: isOpen(campaignCalendar(campaign), app.clock.now()),
    outOfHoursAction: campaign.outOfHoursAction,
    outOfHoursMessage: campaign.outOfHoursMessage ?? null,
    welcomeMessage: campaign.welcomeMessage ?? null,
  };
}

export interface VisitorStart {
  token: string;
  outcome: 'QUEUED' | 'LEFT_MESSAGE' | 'CLOSED';
  closedMessage: string | null;
  session: VisitorSession;
}

/**
 * A visitor starts a chat: a new visitor session (its token is returned once), and an
 * interaction through routing (blacklist, opening hours, queue). Out of hours with
 * LEAVE_MESSAGE, the message waits for the next opening; with MESSAGE, nothing is created.
 */
export async function startChat(
  app: App,
  key: string,
  origin: string | undefined,
  input: { name?: string | null; email?: string | null; message: string },
  address: string,
): Promise<VisitorStart> {
  const message = checkBody(input.message);
  const rules = webchatRules(app.config);
  const tooMany = 'Too many chats started; try again later';
  // the address first, so unknown keys cost a flood nothing more; a known key's count after
  await throttleOrThrow(app, [{ key: throttleKey('webchat:start:address', address), rule: rules.perAddress }], tooMany);
  const wk = await widgetKey(app, key, origin);
  await throttleOrThrow(app, [{ key: throttleKey('webchat:start:key', wk.id), rule: rules.perKey }], tooMany);
  const tenantId = wk.tenant.id;
  const em = tenantEm(app.orm, tenantId);
  const token = opaqueToken('vs');
  const now = app.clock.now();
  const session = em.create(VisitorSession, { tenant: wk.tenant, widgetKey: wk, tokenHash: sha256(token), createdAt: now, windowStart: now });
  await em.flush();
  const email = input.email?.trim();
  const reception = await receive(app, tenantId, {
    channel: Channel.WEBCHAT,
    campaignId: wk.campaign.id,
    from: `visitor-${session.id}`,
    customerName: input.name ?? undefined,
    firstMessage: email ? `${message}\n\n(e-mail given: ${email.slice(0, 254)})` : message,
  });
  if (reception.outcome === 'CLOSED') return { token, outcome: 'CLOSED', closedMessage: reception.message, session };
  session.interaction = em.getReference(Interaction, reception.interaction.id);
  await em.flush();
  return { token, outcome: reception.outcome, closedMessage: null, session };
}

/** The visitor's session from its token, checked against the widget's origins. */
export async function visitorSession(app: App, token: string, origin: string | undefined): Promise<{ session: VisitorSession; tenantId: string }> {
  if (token.length > 100) throw notFound('Chat');
  const session = await platformEm(app.orm).findOne(VisitorSession, { tokenHash: sha256(token) }, { populate: ['widgetKey', 'interaction'] });
  if (!session || session.widgetKey.revokedAt) throw notFound('Chat');
  assertOrigin(session.widgetKey.allowedOrigins, origin);
  return { session, tenantId: session.tenant.id };
}

function checkBody(body: string): string {
  const text = body.trim();
  if (!text) throw badInput('Write a message', 'body');
  if (text.length > MAX_MESSAGE_LENGTH) throw badInput(`A message has at most ${MAX_MESSAGE_LENGTH} characters`, 'body');
  return text;
}

interface SendContext {
  session_id: string;
  tenant_id: string;
  allowed_origins: string[];
  revoked_at: Date | null;
  interaction_id: string | null;
  state: InteractionState | null;
  queue_id: string | null;
  agent_id: string | null;
}

/**
 * Stores the visitor's message, then tells the agent. Floods are refused (RATE_LIMITED). This is
 * the hottest path of a chat, so it is two plain statements: read the session with its widget
 * key and interaction, then count the message against the rate limit and insert it at once.
 */
export async function visitorMessage(app: App, token: string, origin: string | undefined, body: string) {
  const text = checkBody(body);
  if (token.length > 100) throw notFound('Chat');
  const conn = app.orm.em.getConnection();
  const [chat] = await conn.execute<SendContext[]>(
    `select v.id as session_id, v.tenant_id, k.allowed_origins, k.revoked_at, i.id as interaction_id, i.state, i.queue_id, i.agent_id
       from visitor_session v join widget_key k on k.id = v.widget_key_id left join interaction i on i.id = v.interaction_id
      where v.token_hash = ?`,
    [sha256(token)],
  );
  if (!chat || chat.revoked_at) throw notFound('Chat');
  assertOrigin(chat.allowed_origins, origin);
  if (!chat.interaction_id || !OPEN.includes(chat.state!)) throw new AppError(ErrorCode.CONFLICT, 'This chat has ended; start a new one');
  const now = app.clock.now();
  const id = uuidv7(now.getTime());
  const [{ count, inserted }] = await conn.execute<{ count: number; inserted: string | null }[]>(
    `with rate as (
       update visitor_session set
          window_count = case when window_start <= ?::timestamptz - make_interval(secs => ?) then 1 else window_count + 1 end,
          window_start = case when window_start <= ?::timestamptz - make_interval(secs => ?) then ?::timestamptz else window_start end
        where id = ? returning window_count
     ), ins as (
       insert into message (id, tenant_id, interaction_id, sender, author_id, body, delivery_state, created_at)
       select ?, ?, ?, 'CUSTOMER', null, ?, 'DELIVERED', ? where (select window_count from rate) <= ?
       returning id
     )
     select (select window_count from rate) as count, (select id from ins) as inserted`,
    [now, RATE_LIMIT.windowSeconds, now, RATE_LIMIT.windowSeconds, now, chat.session_id, id, chat.tenant_id, chat.interaction_id, text, now, RATE_LIMIT.messages],
  );
  if (!inserted || count > RATE_LIMIT.messages) {
    throw new AppError(ErrorCode.RATE_LIMITED, 'Too many messages; wait a few seconds', { retryAfterSeconds: RATE_LIMIT.windowSeconds });
  }
  const message = { id, sender: MessageSender.CUSTOMER, authorId: null, body: text, deliveryState: DeliveryState.DELIVERED, createdAt: now.toISOString() };
  publish(app, chat.tenant_id, InteractionEventKind.MESSAGE, { interactionId: chat.interaction_id, queueId: chat.queue_id, agentId: chat.agent_id }, id, null, message);
  return { id, sender: MessageSender.CUSTOMER, body: text, createdAt: now };
}

export async function visitorTyping(app: App, token: string, origin: string | undefined, active: boolean): Promise<boolean> {
  const { session, tenantId } = await visitorSession(app, token, origin);
  const i = session.interaction;
  if (!i || !OPEN.includes(i.state)) return false;
  if (!(await throttleHit(app, throttleKey('webchat:typing', session.id), webchatRules(app.config).typing)).allowed) return false;
  publish(app, tenantId, InteractionEventKind.TYPING, { interactionId: i.id, queueId: i.queue?.id ?? null, agentId: i.agent?.id ?? null }, null, { by: 'CUSTOMER', active });
  return true;
}

/**
 * The visitor leaves. Not yet answered: ABANDONED. Answered: the conversation ends (WRAP_UP) and
 * the agent closes it with a disposition.
 */
export async function leaveChat(app: App, token: string, origin: string | undefined): Promise<InteractionState> {
  const { session, tenantId } = await visitorSession(app, token, origin);
  const em = tenantEm(app.orm, tenantId);
  const now = app.clock.now();
  const result = await em.transactional(async (tx) => {
    const i = session.interaction && (await tx.findOne(Interaction, { id: session.interaction.id, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE }));
    if (!i || !OPEN.includes(i.state)) return null;
    i.state = i.state === InteractionState.ACTIVE ? InteractionState.WRAP_UP : InteractionState.ABANDONED;
    i.endedAt = now;
    if (i.state === InteractionState.ABANDONED) i.offerExpiresAt = null;
    tx.create(Message, { tenant: tenantId, interaction: i, sender: MessageSender.SYSTEM, body: 'The visitor left the chat.', deliveryState: DeliveryState.DELIVERED, createdAt: now });
    return i;
  });
  if (!result) return session.interaction?.state ?? InteractionState.CLOSED;
  publish(app, tenantId, result.state === InteractionState.ABANDONED ? InteractionEventKind.ABANDONED : InteractionEventKind.CLOSED, {
    interactionId: result.id,
    queueId: result.queue?.id ?? null,
    agentId: result.agent?.id ?? null,
  });
  return result.state;
}
