import type { App } from '../../../platform/context.js';
import type { Em } from '../../../platform/db/orm.js';
import { platformEm } from '../../../platform/db/orm.js';
import { AGENT_STATE_CHANGED, agentState } from '../../agents/index.js';
import type { RegistrationEvent } from '../kamailio.contract.js';
import { tenantSlugFromSipDomain, userIdFromSipUsername } from '../sip-identity.js';
import { dropContacts } from './sip-account-removal.js';

const EVENTS = new Set(['registered', 'unregistered', 'expired']);
const MAX_EXPIRES = 3600;

/** The agents among `userIds` with at least one unexpired SIP registration: the ones a call may be offered to. */
export async function sipRegisteredAgents(em: Em, tenantId: string, userIds: readonly string[]): Promise<Set<string>> {
  if (!userIds.length) return new Set();
  const rows = await em.getConnection().execute<{ user_id: string }[]>(
    `select distinct user_id from sip_registration where tenant_id = ? and user_id in (${userIds.map(() => '?').join(', ')}) and expires_at > now()`,
    [tenantId, ...userIds],
    'all',
    em.getTransactionContext(), // inside the caller's transaction (the dispatcher's), not on a second connection
  );
  return new Set(rows.map((r) => r.user_id));
}

async function isRegistered(em: Em, tenantId: string, userId: string): Promise<boolean> {
  return (await sipRegisteredAgents(em, tenantId, [userId])).has(userId);
}

function valid(ev: Partial<RegistrationEvent>): ev is RegistrationEvent {
  return (
    typeof ev.event === 'string' && EVENTS.has(ev.event) &&
    typeof ev.username === 'string' && typeof ev.domain === 'string' &&
    typeof ev.contact === 'string' && ev.contact.length > 0 && ev.contact.length <= 512
  );
}

/**
 * POST /telephony/kamailio/registration: keeps `sip_registration` in step with usrloc and tells
 * the agent's tenant (agentStateChanged) when the agent's SIP presence flips.
 */
export async function handleRegistrationEvent(app: App, body: Partial<RegistrationEvent>): Promise<{ ok: boolean }> {
  if (!valid(body)) return { ok: false };
  const userId = userIdFromSipUsername(body.username);
  const slug = tenantSlugFromSipDomain(body.domain, app.config.telephony);
  if (!userId || !slug) return { ok: false };
  const em = platformEm(app.orm);
  const conn = em.getConnection();
  const [owner] = await conn.execute<{ tenant_id: string; has_account: boolean }[]>(
    `select u.tenant_id, exists (select 1 from kamailio.subscriber s where s.user_id = u.id) as has_account
       from app_user u join tenant t on t.id = u.tenant_id where u.id = ? and t.slug = ?`,
    [userId, slug],
  );
  if (!owner) return { ok: false };
  if (body.event === 'registered' && !owner.has_account) {
    // authenticated just before the account went: the contact must not outlive it
    void dropContacts(app, `${body.username}@${body.domain}`);
    return { ok: false };
  }
  const tenantId = owner.tenant_id;
  const before = await isRegistered(em, tenantId, userId);
  if (body.event === 'registered') {
    const seconds = Math.min(Math.max(Math.trunc(Number(body.expires)) || 0, 1), MAX_EXPIRES);
    await conn.execute(
      `insert into sip_registration (id, tenant_id, user_id, contact, transport, user_agent, expires_at, registered_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, now() + make_interval(secs => ?), now())
       on conflict (user_id, contact) do update set transport = excluded.transport, user_agent = excluded.user_agent,
         expires_at = excluded.expires_at`,
      [tenantId, userId, body.contact, String(body.transport ?? '').slice(0, 8), body.userAgent?.slice(0, 255) ?? null, seconds],
    );
  }
  // A contact that ran out is past its expiry here too by the time Kamailio reports it: removing
  // the last contact is a change for clients even when the API had already stopped counting it.
  let removed = 0;
  if (body.event !== 'registered') {
    const rows = await conn.execute<{ id: string }[]>(
      `delete from sip_registration where user_id = ?${body.contact === '*' ? '' : ' and contact = ?'} returning id`,
      body.contact === '*' ? [userId] : [userId, body.contact],
    );
    removed = rows.length;
  }
  const after = await isRegistered(em, tenantId, userId);
  if (before !== after || (removed > 0 && !after)) {
    app.log.info({ userId, event: body.event, registered: after }, 'agent SIP presence changed');
    app.events.publish(AGENT_STATE_CHANGED, tenantId, await agentState(em, tenantId, userId));
  }
  return { ok: true };
}
