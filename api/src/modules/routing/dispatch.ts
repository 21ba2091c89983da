import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { emSql, sqlTransaction, type Sql } from '../../platform/db/sql.js';
import { User } from '../identity/user.entity.js';
import { notFound } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { AgentStatus } from '../agents/agent-state.entity.js';
import { Channel, Interaction, InteractionOffer, InteractionState, OfferOutcome } from '../interactions/interaction.entity.js';
import { InteractionEventKind } from '../interactions/interaction.events.js';
import { publish, type EventSubject } from './routing.events.js';

/**
 * Offers waiting interactions of a queue to eligible agents until one of them runs out. Each
 * offer happens in a transaction that holds the interaction's and the agent's rows locked and
 * counts the agent's load in a statement issued after the lock, so concurrent dispatchers (in
 * this or another API instance) can never offer an agent beyond its capacity. Agents are locked
 * one at a time, as they are weighed, so concurrent dispatchers take different agents instead of
 * one of them finding every candidate locked (and a caller getting busy while agents are free).
 */
export async function dispatchQueue(app: App, tenantId: string, queueId: string): Promise<number> {
  let offered = 0;
  for (;;) {
    const result = await offerOne(app, tenantId, queueId);
    if (!result) return offered;
    offered++;
    announceOffer(app, tenantId, result);
  }
}

/** An offer as the dispatcher made it: `voice` for a call (its INVITE may be held, waiting for this agent). */
export type Offer = EventSubject & { voice?: boolean };
type VoiceOfferListener = (app: App, tenantId: string, offer: EventSubject) => void;
const voiceOfferListeners = new WeakMap<App, VoiceOfferListener>();

/** Telephony hears of every call the dispatcher offers: a caller waiting in the queue is then rung to the agent. */
export function onVoiceOffer(app: App, listener: VoiceOfferListener): void {
  voiceOfferListeners.set(app, listener);
}

/** After the commit: OFFERED for subscribers, and telephony told of a call's offer. */
export function announceOffer(app: App, tenantId: string, { voice, ...offer }: Offer): void {
  publish(app, tenantId, InteractionEventKind.OFFERED, offer);
  if (voice) voiceOfferListeners.get(app)?.(app, tenantId, offer);
}

/** How many waiting interactions one dispatch step looks at, oldest first. */
const LOOKAHEAD = 20;

function offerOne(app: App, tenantId: string, queueId: string): Promise<Offer | null> {
  return sqlTransaction(app.orm, (sql) => offerNext(app, sql, tenantId, queueId, app.clock.now()));
}

interface Waiting {
  waiting: { id: string; channel: Channel }[] | null;
  candidates: { id: string; registered: boolean }[] | null;
  refused: { i: string; a: string }[] | null;
  strategy: string | null;
}

/**
 * One dispatch step inside the caller's transaction: the oldest waiting interaction some
 * eligible agent can take is offered to the first such agent, in the queue's order. One statement
 * reads what the step needs (waiting interactions, locked and skipped when another dispatcher
 * holds them; candidates in the strategy's order with their SIP presence; earlier offers); then
 * agents are locked one at a time as they are weighed. Null when nothing could be offered.
 * `expires` overrides the offer's expiry (a call rings for its campaign's time, not the chat timeout).
 */
export async function offerNext(
  app: App,
  sql: Sql,
  tenantId: string,
  queueId: string,
  now: Date,
  expires?: (interactionId: string) => Date | null,
): Promise<Offer | null> {
  const [row] = await sql<Waiting>(
    `with s as (
       select (select strategy from queue where id = ? and tenant_id = ?) as strategy, (select kind from licence where tenant_id = ?) as kind),
     w as (
       select id, channel, queued_at from interaction
        where tenant_id = ? and queue_id = ? and state = 'QUEUED' and queued_at <= ?
          -- VOICE-licence agents are never offered written interactions: those wait for an OMNI licence
          and (channel = 'VOICE' or (select kind from s) = 'OMNI')
        order by queued_at, id limit ${LOOKAHEAD} for update skip locked),
     c as (
       select a.user_id, a.idle_since, m.queue_id,
              exists (select 1 from sip_registration r where r.user_id = a.user_id and r.tenant_id = a.tenant_id and r.expires_at > now()) as registered
         from agent_state a
         join queue_member m on m.user_id = a.user_id and m.tenant_id = a.tenant_id and m.queue_id = ?
        where a.tenant_id = ? and a.status in ('AVAILABLE', 'BUSY')
          -- an agent on a call can take nothing (canTake); a cheap pre-filter, checked again after the lock
          and not exists (select 1 from interaction x where x.tenant_id = a.tenant_id and x.agent_id = a.user_id and x.channel = 'VOICE' and x.state in ('OFFERED', 'ACTIVE'))
          and exists (select 1 from session s where s.user_id = a.user_id and s.holds_seat and s.revoked_at is null and s.expires_at > now()))
     select (select strategy from s) as strategy,
            (select json_agg(json_build_object('id', id, 'channel', channel) order by queued_at, id) from w) as waiting,
            (select json_agg(json_build_object('i', o.interaction_id, 'a', o.agent_id)) from interaction_offer o where o.interaction_id in (select id from w)) as refused,
            (select json_agg(json_build_object('id', user_id, 'registered', registered) order by
                case when (select strategy from s) = 'ROUND_ROBIN'
                  then (select max(o.offered_at) from interaction_offer o where o.agent_id = c.user_id and o.queue_id = c.queue_id) end asc nulls first,
                case when (select strategy from s) <> 'ROUND_ROBIN'
                  then (select count(*) from interaction i where i.tenant_id = ? and i.agent_id = c.user_id and i.state in ('OFFERED', 'ACTIVE')) end asc,
                case when (select strategy from s) <> 'ROUND_ROBIN' then c.idle_since end asc nulls first,
                user_id) from c) as candidates`,
    [queueId, tenantId, tenantId, tenantId, queueId, now, queueId, tenantId, tenantId],
  );
  const waiting = row?.waiting ?? [];
  if (!waiting.length) return null;
  if (!row!.strategy) throw notFound('Queue');
  const candidates = row!.candidates ?? [];
  const offeredBefore = new Set((row!.refused ?? []).map((r) => `${r.i}:${r.a}`));
  const loads = new Map<string, AgentLoad>();
  for (const w of waiting) {
    for (const { id: agentId, registered } of candidates) {
      if (offeredBefore.has(`${w.id}:${agentId}`)) continue;
      // calls go only to agents whose softphone is registered right now
      if (w.channel === Channel.VOICE && !registered) continue;
      if (!loads.has(agentId)) {
        // only the agent about to be weighed is locked; one a concurrent dispatcher holds is skipped
        if (!(await lockAgent(sql, tenantId, agentId))) continue;
        // a fresh statement, after the lock: sees every offer committed before we got the row
        loads.set(agentId, await loadOf(sql, tenantId, agentId));
      }
      if (!canTake(loads.get(agentId)!, w.channel)) continue;
      const offer = await offerLocked(app, sql, tenantId, w.id, agentId, now, expires?.(w.id) ?? null);
      return w.channel === Channel.VOICE ? { ...offer, voice: true } : offer;
    }
  }
  return null;
}

/** Locks the agent's state row for this transaction, or answers false when another one holds it. */
async function lockAgent(sql: Sql, tenantId: string, agentId: string): Promise<boolean> {
  const rows = await sql('select user_id from agent_state where user_id = ? and tenant_id = ? for update skip locked', [agentId, tenantId]);
  return rows.length > 0;
}

/**
 * `makeOffer` in one statement, for an interaction row the dispatcher holds locked: no entity
 * is loaded, the row is updated and the offer written together.
 */
async function offerLocked(app: App, sql: Sql, tenantId: string, interactionId: string, agentId: string, now: Date, expiresAt: Date | null): Promise<EventSubject> {
  const expires = expiresAt ?? new Date(now.getTime() + app.config.offerTimeoutSeconds * 1000);
  const [row] = await sql<{ queue_id: string | null }>(
    `with i as (
       update interaction set state = 'OFFERED', agent_id = ?, offered_at = ?, offer_expires_at = ?
        where id = ? and tenant_id = ? returning id, queue_id)
     insert into interaction_offer (id, tenant_id, interaction_id, agent_id, queue_id, offered_at, outcome)
     select ?, ?, i.id, ?, i.queue_id, ?, 'PENDING' from i
     returning queue_id`,
    [agentId, now, expires, interactionId, tenantId, uuidv7(), tenantId, agentId, now],
  );
  if (!row) throw notFound('Interaction');
  return { interactionId, queueId: row.queue_id, agentId };
}

export interface AgentLoad {
  voice: number;
  written: number;
  capacity: number;
  status: AgentStatus;
}

/** An agent's open (OFFERED or ACTIVE) interactions; call it while holding the agent's row lock. */
export const agentLoad = (tx: Em, tenantId: string, agentId: string): Promise<AgentLoad> => loadOf(emSql(tx), tenantId, agentId);

async function loadOf(sql: Sql, tenantId: string, agentId: string): Promise<AgentLoad> {
  const [row] = await sql<{ voice: string; written: string; capacity: number; status: AgentStatus }>(
    `select count(i.id) filter (where i.channel = 'VOICE') as voice, count(i.id) filter (where i.channel <> 'VOICE') as written,
            max(a.written_capacity) as capacity, max(a.status) as status
       from agent_state a left join interaction i on i.agent_id = a.user_id and i.tenant_id = a.tenant_id and i.state in ('OFFERED', 'ACTIVE')
      where a.user_id = ? and a.tenant_id = ?`,
    [agentId, tenantId],
  );
  return { voice: Number(row?.voice ?? 0), written: Number(row?.written ?? 0), capacity: row?.capacity ?? 0, status: row?.status ?? AgentStatus.OFFLINE };
}

/** Voice: one call and nothing else; written: up to the agent's capacity, never during a call. */
export function canTake(load: AgentLoad, channel: Channel): boolean {
  if (load.status !== AgentStatus.AVAILABLE && load.status !== AgentStatus.BUSY) return false;
  if (load.voice > 0) return false;
  return channel === Channel.VOICE ? load.written === 0 : load.written < load.capacity;
}

/** Offers an interaction (locked by the caller) to an agent (locked by the caller). */
export function makeOffer(app: App, tx: Em, interaction: Interaction, agentId: string, now: Date): void {
  Object.assign(interaction, {
    state: InteractionState.OFFERED,
    agent: tx.getReference(User, agentId),
    offeredAt: now,
    offerExpiresAt: new Date(now.getTime() + app.config.offerTimeoutSeconds * 1000),
  });
  tx.create(InteractionOffer, {
    tenant: interaction.tenant,
    interaction,
    agent: agentId,
    queue: interaction.queue ?? null,
    offeredAt: now,
    outcome: OfferOutcome.PENDING,
  });
}
