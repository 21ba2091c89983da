import type { App } from '../../../platform/context.js';
import { platformEm } from '../../../platform/db/orm.js';
import { AGENT_STATE_CHANGED, formerAgentState } from '../../agents/index.js';
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

/**
 * Brings registrations back in line with the accounts, for whatever happened while Kamailio could
 * not be told (it was down, or a user went behind the API's back): contacts in usrloc whose
 * account is gone are removed (`ul.rm`), and the API's registration rows of users without an
 * account are deleted, with an agentStateChanged for each. Runs each time Kamailio (re)starts and
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

  const aors = aorsOf(await kamailioRpc(app, 'ul.dump'));
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
