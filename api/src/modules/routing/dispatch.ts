import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { tenantEm } from '../../platform/db/orm.js';
import { User } from '../identity/user.entity.js';
import { Licence, LicenceKind } from '../licensing/licence.entity.js';
import { Queue } from '../queues/queue.entity.js';
import { AgentStatus } from '../agents/agent-state.entity.js';
import { Channel, Interaction, InteractionOffer, InteractionState, OfferOutcome } from '../interactions/interaction.entity.js';
import { InteractionEventKind } from '../interactions/interaction.events.js';
import { publish, subject } from './routing.events.js';

interface Candidate {
  user_id: string;
}

/**
 * Offers waiting interactions of a queue to eligible agents until one of them runs out. Each
 * offer happens in a transaction that holds the interaction's and the agent's rows locked and
 * counts the agent's load in a statement issued after the lock, so concurrent dispatchers (in
 * this or another API instance) can never offer an agent beyond its capacity.
 */
export async function dispatchQueue(app: App, tenantId: string, queueId: string): Promise<number> {
  let offered = 0;
  for (;;) {
    const result = await offerOne(app, tenantId, queueId);
    if (!result) return offered;
    offered++;
    publish(app, tenantId, InteractionEventKind.OFFERED, subject(result));
  }
}

/** How many waiting interactions one dispatch step looks at, oldest first. */
const LOOKAHEAD = 20;

async function offerOne(app: App, tenantId: string, queueId: string): Promise<Interaction | null> {
  const em = tenantEm(app.orm, tenantId);
  const now = app.clock.now();
  return em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    const licence = await tx.findOne(Licence, { tenant: tenantId });
    // VOICE-licence agents are never offered written interactions: those wait for an OMNI licence
    const voiceOnly = licence?.kind !== LicenceKind.OMNI;
    const waiting = await conn.execute<{ id: string; channel: Channel }[]>(
      `select id, channel from interaction
        where tenant_id = ? and queue_id = ? and state = 'QUEUED' and queued_at <= ? ${voiceOnly ? "and channel = 'VOICE'" : ''}
        order by queued_at, id limit ${LOOKAHEAD} for update skip locked`,
      [tenantId, queueId, now],
      'all',
      ctx,
    );
    if (!waiting.length) return null;
    const queue = await tx.findOneOrFail(Queue, { id: queueId, tenant: tenantId });
    const order =
      queue.strategy === 'ROUND_ROBIN'
        ? `(select max(o.offered_at) from interaction_offer o where o.agent_id = a.user_id and o.queue_id = m.queue_id) asc nulls first, a.user_id`
        : `(select count(*) from interaction i where i.agent_id = a.user_id and i.state in ('OFFERED', 'ACTIVE')) asc, a.idle_since asc nulls first, a.user_id`;
    const candidates = await conn.execute<Candidate[]>(
      `select a.user_id from agent_state a
         join queue_member m on m.user_id = a.user_id and m.tenant_id = a.tenant_id and m.queue_id = ?
        where a.tenant_id = ? and a.status in ('AVAILABLE', 'BUSY')
          and exists (select 1 from session s where s.user_id = a.user_id and s.holds_seat and s.revoked_at is null and s.expires_at > now())
        order by ${order}
        for update of a skip locked`,
      [queueId, tenantId],
      'all',
      ctx,
    );
    if (!candidates.length) return null;
    const refused = await conn.execute<{ interaction_id: string; agent_id: string }[]>(
      `select interaction_id, agent_id from interaction_offer where interaction_id in (${waiting.map(() => '?').join(', ')})`,
      waiting.map((w) => w.id),
      'all',
      ctx,
    );
    const offeredBefore = new Set(refused.map((r) => `${r.interaction_id}:${r.agent_id}`));
    const loads = new Map<string, AgentLoad>();
    for (const w of waiting) {
      for (const { user_id: agentId } of candidates) {
        if (offeredBefore.has(`${w.id}:${agentId}`)) continue;
        // a fresh statement, after the lock: sees every offer committed before we got the row
        if (!loads.has(agentId)) loads.set(agentId, await agentLoad(tx, tenantId, agentId));
        if (!canTake(loads.get(agentId)!, w.channel)) continue;
        const interaction = await tx.findOneOrFail(Interaction, { id: w.id, tenant: tenantId });
        makeOffer(app, tx, interaction, agentId, now);
        return interaction;
      }
    }
    return null;
  });
}


export interface AgentLoad {
  voice: number;
  written: number;
  capacity: number;
  status: AgentStatus;
}

/** An agent's open (OFFERED or ACTIVE) interactions; call it while holding the agent's row lock. */
export async function agentLoad(tx: Em, tenantId: string, agentId: string): Promise<AgentLoad> {
  const [row] = await tx.getConnection().execute<{ voice: string; written: string; capacity: number; status: AgentStatus }[]>(
    `select count(i.id) filter (where i.channel = 'VOICE') as voice, count(i.id) filter (where i.channel <> 'VOICE') as written,
            max(a.written_capacity) as capacity, max(a.status) as status
       from agent_state a left join interaction i on i.agent_id = a.user_id and i.tenant_id = a.tenant_id and i.state in ('OFFERED', 'ACTIVE')
      where a.user_id = ? and a.tenant_id = ?`,
    [agentId, tenantId],
    'all',
    tx.getTransactionContext(),
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
