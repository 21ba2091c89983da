import type { App } from '../../../platform/context.js';
import { platformEm, type Em } from '../../../platform/db/orm.js';
import { AGENT_STATE_CHANGED, formerAgentState } from '../../agents/index.js';
import { kamailioRpc } from '../runtime/kamailio-rpc.js';
import { hangUp } from '../calls/hang-up.js';
import { withdrawRinging } from '../calls/withdraw-ringing.js';

/**
 * What taking a user's SIP account away left to do once the transaction committed: the contacts
 * Kamailio still holds in memory, the presence event, and the calls the agent is on.
 */
export interface SipAccountRemoval {
  tenantId: string;
  userId: string;
  /** `user@domain` as usrloc keys it, or null when there was no account. */
  aor: string | null;
  /** The API counted the agent as registered (an agentStateChanged is due). */
  wasRegistered: boolean;
  /** Answered calls of the agent still in progress. */
  callInteractionIds: string[];
  /** Calls still ringing the agent's phone (their Call-IDs). */
  ringingSipCallIds: string[];
}

/**
 * Inside the caller's transaction: the `subscriber` row goes (a re-REGISTER is refused), its rows
 * in `kamailio.location` go (a Kamailio started later does not load them back), and so do the
 * API's `sip_registration` rows (routing stops offering calls at once, Kamailio running or not).
 * Null when the user had nothing to remove.
 */
export async function removeSipAccount(em: Em, userId: string): Promise<SipAccountRemoval | null> {
  const [account] = await em.execute<Account[]>(
    'delete from kamailio.subscriber where user_id = ? returning username, domain, tenant_id',
    [userId],
  );
  return dropRegistrationRows(em, userId, account, { endCalls: true });
}

/**
 * Inside the caller's transaction: the user's registrations go (Kamailio's `location` rows and the
 * API's `sip_registration` rows) but the account stays, its credentials already voided by the
 * caller (a password reset). Calls in progress go on. Hand the result to `afterSipAccountRemoval`.
 */
export async function dropSipRegistrations(em: Em, userId: string): Promise<SipAccountRemoval | null> {
  const [account] = await em.execute<Account[]>('select username, domain, tenant_id from kamailio.subscriber where user_id = ?', [userId]);
  return dropRegistrationRows(em, userId, account, { endCalls: false });
}

interface Account {
  username: string;
  domain: string;
  tenant_id: string;
}

async function dropRegistrationRows(em: Em, userId: string, account: Account | undefined, options: { endCalls: boolean }): Promise<SipAccountRemoval | null> {
  if (account) await em.execute('delete from kamailio.location where username = ? and domain = ?', [account.username, account.domain]);
  const registrations = await em.execute<{ tenant_id: string; live: boolean }[]>(
    'delete from sip_registration where user_id = ? returning tenant_id, expires_at > now() as live',
    [userId],
  );
  const tenantId = account?.tenant_id ?? registrations[0]?.tenant_id;
  if (!tenantId) return null;
  // the agent's calls in progress: answered ones (to end) and ones still ringing their phone (to withdraw)
  const calls = !options.endCalls ? [] : await em.execute<{ id: string; sip_call_id: string; answered: boolean }[]>(
    `select i.id, c.sip_call_id, i.answered_at is not null as answered from interaction i join call c on c.interaction_id = i.id
      where i.tenant_id = ? and i.agent_id = ? and c.ended_at is null
        and (i.answered_at is not null or (i.state = 'OFFERED' and i.channel = 'VOICE'))`,
    [tenantId, userId],
  );
  return {
    tenantId,
    userId,
    aor: account ? `${account.username}@${account.domain}` : null,
    wasRegistered: registrations.some((r) => r.live),
    callInteractionIds: calls.filter((c) => c.answered).map((c) => c.id),
    ringingSipCallIds: calls.filter((c) => !c.answered).map((c) => c.sip_call_id),
  };
}

/**
 * Removes an AOR's contacts from Kamailio's memory (`ul.rm`): the phone is unregistered at once,
 * not when its registration runs out. False when Kamailio could not be reached (telephony off or
 * down): its database rows are already gone, and `reconcileSipRegistrations` runs when it is back.
 */
export async function dropContacts(app: App, aor: string): Promise<boolean> {
  if (!app.config.telephony.enabled) return false;
  try {
    await kamailioRpc(app, 'ul.rm', ['location', aor]);
    return true;
  } catch (err) {
    // "AOR not found in location table": nothing to remove
    if (/not found/i.test((err as Error).message)) return true;
    app.log.warn({ err, aor }, 'could not remove SIP contacts from Kamailio now; they go when it is reachable again');
    return false;
  }
}

/**
 * After the commit: Kamailio forgets the contacts, clients hear that the agent is unregistered,
 * and the agent's calls in progress are ended like a supervisor's hang-up (BYE both ways,
 * `endedBy: api`): the agent has lost access and no session is left to finish them.
 */
export async function afterSipAccountRemoval(app: App, removal: SipAccountRemoval | null): Promise<void> {
  if (!removal) return;
  const { tenantId, userId } = removal;
  if (removal.aor) await dropContacts(app, removal.aor);
  if (removal.wasRegistered) {
    app.log.info({ userId }, 'agent SIP account removed; registrations dropped');
    app.events.publish(AGENT_STATE_CHANGED, tenantId, await formerAgentState(platformEm(app.orm), tenantId, userId));
  }
  for (const interactionId of removal.callInteractionIds) {
    await hangUp(app, tenantId, interactionId).catch((err: Error) =>
      app.log.warn({ err, tenantId, interactionId }, "could not end the call of an agent whose account was removed"),
    );
  }
  for (const sipCallId of removal.ringingSipCallIds) {
    await withdrawRinging(app, sipCallId).catch((err: Error) =>
      app.log.warn({ err, tenantId, sipCallId }, 'could not stop a call ringing an agent whose account was removed'),
    );
  }
}
