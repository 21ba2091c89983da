import type { App } from '../../../platform/context.js';
import { platformEm } from '../../../platform/db/orm.js';
import { AGENT_STATE_CHANGED, agentState, formerAgentState } from '../../agents/index.js';
import { kamailioRpc } from '../runtime/kamailio-rpc.js';
import { dropContacts } from './sip-account-removal.js';

/** Every `AoR` of a `ul.dump` answer, wherever it sits in it. */
export function aorsOf(dump: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [key, value] of Object.entries(v)) {
        if (key === 'AoR' && typeof value === 'string') found.push(value);
        else walk(value);
      }
    }
  };
  walk(dump);
  return [...new Set(found)];
}

/** A contact URI as compared between usrloc and the API: nathelper's `;alias=` (added for WebSocket peers) left out. */
const contactKey = (uri: string): string => uri.replace(/;alias=[^;>]*/i, '');

/** One contact of a `ul.dump` answer (the fields the API reads). */
interface DumpedContact {
  Address: string;
  /** Seconds left, or "permanent" / "expired" / "deleted". */
  Expires?: number | string;
  Socket?: string;
  'User-Agent'?: string;
}

/** The contacts of each AoR (lower-cased) in a `ul.dump` answer, by `contactKey`, wherever they sit in it. */
export function contactsOf(dump: unknown): Map<string, Map<string, DumpedContact>> {
  const found = new Map<string, Map<string, DumpedContact>>();
  const contacts = (v: unknown, into: Map<string, DumpedContact>): void => {
    if (Array.isArray(v)) v.forEach((x) => contacts(x, into));
    else if (v && typeof v === 'object') {
      if (typeof (v as DumpedContact).Address === 'string') into.set(contactKey((v as DumpedContact).Address), v as DumpedContact);
      else Object.values(v).forEach((x) => contacts(x, into));
    }
  };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const aor = (v as { AoR?: unknown }).AoR;
      if (typeof aor === 'string') {
        const map = found.get(aor.toLowerCase()) ?? new Map<string, DumpedContact>();
        contacts((v as { Contacts?: unknown }).Contacts, map);
        found.set(aor.toLowerCase(), map);
      } else Object.values(v).forEach(walk);
    }
  };
  walk(dump);
  return found;
}

/**
 * Makes the API's registration rows say what Kamailio holds, after Kamailio (re)started: rows of
 * contacts it does not hold (lost in a crash, removed while the API was not told) are deleted, so
 * routing never offers a call Kamailio would answer 480; contacts it holds that the API never heard
 * of (the `registered` post was lost with a crash) are added. An agentStateChanged goes out for each
 * agent whose presence flips. `dump` is a `ul.dump` taken after `since`: rows written after it (a
 * REGISTER racing the dump) are left alone.
 */
async function syncRegistrationsWithKamailio(app: App, dump: unknown, since: Date): Promise<void> {
  const em = platformEm(app.orm);
  const conn = em.getConnection();
  const held = contactsOf(dump);
  const rows = await conn.execute<{ id: string; tenant_id: string; user_id: string; contact: string; aor: string; fresh: boolean }[]>(
    `select r.id, r.tenant_id, r.user_id, r.contact, lower(s.username || '@' || s.domain) as aor, r.registered_at >= ? as fresh
       from sip_registration r join kamailio.subscriber s on s.user_id = r.user_id`,
    [since],
  );
  const lost = rows.filter((r) => !r.fresh && !held.get(r.aor)?.has(contactKey(r.contact)));
  const known = new Set(rows.map((r) => `${r.aor} ${contactKey(r.contact)}`));
  const aors = [...held.keys()];
  const accounts = aors.length
    ? await conn.execute<{ aor: string; user_id: string; tenant_id: string }[]>(
        `select lower(username || '@' || domain) as aor, user_id, tenant_id from kamailio.subscriber
          where lower(username || '@' || domain) in (${aors.map(() => '?').join(', ')})`,
        aors,
      )
    : [];
  const missing = accounts.flatMap((a) =>
    [...held.get(a.aor)!.entries()]
      .filter(([key, c]) => !known.has(`${a.aor} ${key}`) && typeof c.Expires === 'number' && c.Expires > 0)
      .map(([, c]) => ({ ...a, contact: c })),
  );
  if (!lost.length && !missing.length) return;
  const touched = new Map([...lost, ...missing].map((r) => [r.user_id, r.tenant_id]));
  const before = new Map<string, boolean>();
  for (const [userId, tenantId] of touched) before.set(userId, (await agentState(em, tenantId, userId)).sipRegistered);
  if (lost.length) await conn.execute(`delete from sip_registration where id in (${lost.map(() => '?').join(', ')})`, lost.map((r) => r.id));
  for (const m of missing) {
    await conn.execute(
      `insert into sip_registration (id, tenant_id, user_id, contact, transport, user_agent, expires_at, registered_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, now() + make_interval(secs => ?), now()) on conflict (user_id, contact) do nothing`,
      [m.tenant_id, m.user_id, m.contact.Address.slice(0, 512), (m.contact.Socket ?? '').split(':')[0]!.slice(0, 8),
        m.contact['User-Agent']?.slice(0, 255) ?? null, Math.min(Number(m.contact.Expires), 3600)],
    );
  }
  for (const [userId, tenantId] of touched) {
    const state = await agentState(em, tenantId, userId);
    if (before.get(userId) !== state.sipRegistered) app.events.publish(AGENT_STATE_CHANGED, tenantId, state);
  }
  app.log.warn({ removed: lost.map((r) => r.contact), added: missing.map((m) => m.contact.Address) }, 'SIP registrations brought in line with Kamailio after its start');
}

/**
 * Brings registrations back in line with the accounts, for whatever happened while Kamailio could
 * not be told (it was down, or a user went behind the API's back): contacts in usrloc whose
 * account is gone are removed (`ul.rm`), the API's registration rows of users without an
 * account are deleted, with an agentStateChanged for each, and the API's rows are made to say
 * what usrloc holds (`syncRegistrationsWithKamailio`: after a crash, no phone the API shows as
 * registered that Kamailio cannot ring, none Kamailio rings that the API ignores). Runs each time Kamailio (re)starts and
 * answers (`onKamailioReady`); returns the AORs it removed.
 */
export async function reconcileSipRegistrations(app: App): Promise<string[]> {
  const conn = platformEm(app.orm).getConnection();
  const stale = await conn.execute<{ tenant_id: string; user_id: string }[]>(
    `delete from sip_registration r where not exists (select 1 from kamailio.subscriber s where s.user_id = r.user_id)
     returning r.tenant_id, r.user_id`,
  );
  const users = new Map(stale.map((r) => [r.user_id, r.tenant_id]));
  for (const [userId, tenantId] of users) {
    app.events.publish(AGENT_STATE_CHANGED, tenantId, await formerAgentState(platformEm(app.orm), tenantId, userId));
  }

  const since = new Date((await conn.execute<{ now: Date }[]>('select now() as now'))[0]!.now);
  const dump = await kamailioRpc(app, 'ul.dump');
  await syncRegistrationsWithKamailio(app, dump, since);
  const aors = aorsOf(dump);
  const known = new Set<string>();
  for (let i = 0; i < aors.length; i += 500) {
    const chunk = aors.slice(i, i + 500);
    const rows = await conn.execute<{ aor: string }[]>(
      `select lower(username || '@' || domain) as aor from kamailio.subscriber
        where lower(username || '@' || domain) in (${chunk.map(() => '?').join(', ')})`,
      chunk.map((a) => a.toLowerCase()),
    );
    for (const r of rows) known.add(r.aor);
  }
  const removed: string[] = [];
  for (const aor of aors) {
    if (!known.has(aor.toLowerCase()) && (await dropContacts(app, aor))) removed.push(aor);
  }
  if (removed.length || users.size) app.log.info({ removed, unregistered: [...users.keys()] }, 'SIP registrations reconciled with accounts');
  return removed;
}
