import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { badInput, forbidden, notFound } from '../../platform/errors.js';
import { Role } from '../../platform/auth/permissions.js';
import type { PageArgs } from '../../platform/connection.js';
import { decodeCursor, encodeCursor } from '../../platform/connection.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../identity/user.entity.js';
import { AgentState, AgentStatus } from './agent-state.entity.js';
import { AGENT_STATE_CHANGED } from './agent-state.events.js';
import { checkMove } from './agent-state.machine.js';
import type { AgentStateType } from './agent-state.type.js';

const DEFAULT_WRITTEN_CAPACITY = 3;

interface Row {
  user_id: string;
  status: AgentStatus | null;
  pause_reason: string | null;
  since: Date | null;
  written_capacity: number | null;
  signed_in: boolean;
  sip_registered: boolean;
}

/** Agents' states as clients see them: without a signed-in session an agent is OFFLINE. */
const toType = (r: Row): AgentStateType => {
  const status = r.signed_in ? (r.status ?? AgentStatus.OFFLINE) : AgentStatus.OFFLINE;
  return {
    userId: r.user_id,
    status,
    pauseReason: status === AgentStatus.PAUSED ? r.pause_reason : null,
    since: r.since ? new Date(r.since) : null,
    writtenCapacity: r.written_capacity ?? DEFAULT_WRITTEN_CAPACITY,
    sipRegistered: r.sip_registered,
  };
};

const ANY_ROLE = `select u.id as user_id, a.status, a.pause_reason, a.since, a.written_capacity,
         exists (select 1 from session s where s.user_id = u.id and s.holds_seat and s.revoked_at is null and s.expires_at > now()) as signed_in,
         exists (select 1 from sip_registration r where r.user_id = u.id and r.expires_at > now()) as sip_registered
    from app_user u left join agent_state a on a.user_id = u.id and a.tenant_id = u.tenant_id
   where u.tenant_id = ?`;
const SELECT = `${ANY_ROLE} and u.role = 'AGENT'`;

/** Every id must be an agent of the tenant (another tenant's id is NOT_FOUND like any unknown one). */
export async function assertAgents(em: Em, tenantId: string, userIds: readonly string[]): Promise<void> {
  const unique = [...new Set(userIds)];
  const found = await em.count(User, { id: { $in: unique }, tenant: tenantId, role: Role.AGENT });
  if (found !== unique.length) throw notFound('Agent');
}

export async function agentState(em: Em, tenantId: string, userId: string): Promise<AgentStateType> {
  const [row] = await em.getConnection().execute<Row[]>(`${SELECT} and u.id = ?`, [tenantId, userId]);
  if (!row) throw notFound('Agent');
  return toType(row);
}

/**
 * The last state of someone who may no longer be an agent (role taken away, disabled, deleted), for
 * the event that tells clients so: OFFLINE and unregistered when the user is gone.
 */
export async function formerAgentState(em: Em, tenantId: string, userId: string): Promise<AgentStateType> {
  const [row] = await em.getConnection().execute<Row[]>(`${ANY_ROLE} and u.id = ?`, [tenantId, userId]);
  return toType(row ?? { user_id: userId, status: null, pause_reason: null, since: null, written_capacity: null, signed_in: false, sip_registered: false });
}

/**
 * A page of the tenant's agents with their states, in creation order. The effective status
 * depends on sessions, so the (small, seat-bounded) set of agents is read whole and paged here.
 */
export async function listAgentStates(em: Em, tenantId: string, page: PageArgs & { status?: AgentStatus }) {
  const after = page.after ? decodeCursor(page.after) : null;
  const rows = await em.getConnection().execute<Row[]>(`${SELECT} order by u.id`, [tenantId]);
  const matching = rows.map(toType).filter((s) => !page.status || s.status === page.status);
  const rest = after ? matching.filter((s) => s.userId > after) : matching;
  const edges = rest.slice(0, page.first).map((node) => ({ node, cursor: encodeCursor(node.userId) }));
  return {
    edges,
    totalCount: matching.length,
    pageInfo: {
      hasNextPage: rest.length > page.first,
      hasPreviousPage: !!after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** An agent changes its own state (available, paused with a reason, offline). */
export async function setOwnState(app: App, em: Em, tenantId: string, userId: string, status: AgentStatus, pauseReason?: string | null) {
  await em.transactional(async (tx) => {
    const user = await tx.findOne(User, { id: userId, tenant: tenantId });
    if (!user) throw notFound('User');
    if (user.role !== Role.AGENT) throw forbidden('Only agents have a routing state');
    let row = await tx.findOne(AgentState, { user: userId, tenant: tenantId });
    const reason = checkMove(row?.status ?? AgentStatus.OFFLINE, status, 'agent', pauseReason);
    const now = app.clock.now();
    if (!row) {
      row = tx.create(AgentState, { user, tenant: tx.getReference(Tenant, tenantId), status, pauseReason: reason, since: now, idleSince: now });
    } else if (row.status !== status || row.pauseReason !== reason) {
      if (status === AgentStatus.AVAILABLE && row.status !== AgentStatus.AVAILABLE) row.idleSince = now;
      Object.assign(row, { status, pauseReason: reason, since: row.status !== status ? now : row.since });
    }
  });
  const view = await agentState(em, tenantId, userId);
  app.events.publish(AGENT_STATE_CHANGED, tenantId, view);
  return view;
}

export async function setWrittenCapacity(app: App, em: Em, tenantId: string, userId: string, capacity: number) {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 20) throw badInput('Written capacity is 1 to 20', 'capacity');
  await em.transactional(async (tx) => {
    const user = await tx.findOne(User, { id: userId, tenant: tenantId });
    if (!user) throw notFound('User');
    if (user.role !== Role.AGENT) throw badInput('Only agents take interactions', 'userId');
    const row = await tx.findOne(AgentState, { user: userId, tenant: tenantId });
    if (row) row.writtenCapacity = capacity;
    else tx.create(AgentState, { user, tenant: tx.getReference(Tenant, tenantId), status: AgentStatus.OFFLINE, since: app.clock.now(), writtenCapacity: capacity });
  });
  const view = await agentState(em, tenantId, userId);
  app.events.publish(AGENT_STATE_CHANGED, tenantId, view);
  return view;
}
