import type { App } from '../../../platform/context.js';
import { platformEm, tenantEm } from '../../../platform/db/orm.js';
import { Tenant, TenantStatus } from '../../tenants/tenant.entity.js';
import { User, UserStatus } from '../../identity/user.entity.js';
import { Role } from '../../../platform/auth/permissions.js';
import { IdentifierKind } from '../../contacts/identifiers.js';
import { blacklistMatch } from '../../contacts/blacklist.service.js';
import { Channel, Direction, Interaction, InteractionState } from '../../interactions/interaction.entity.js';
import { InteractionEventKind } from '../../interactions/interaction.events.js';
import { agentLoad } from '../../routing/dispatch.js';
import { contactFor } from '../../routing/receive.js';
import { publish, subject } from '../../routing/routing.events.js';
import { tenantSlugFromSipDomain, userIdFromSipUsername } from '../sip-identity.js';
import type { RouteDecision, RouteRequest } from '../kamailio.contract.js';
import { Call } from './call.entity.js';
import { Did, SipTrunk } from './trunk.entity.js';
import { endCall, reserveChannel } from './channels.js';
import { reject } from './route-request.js';
import { asE164 } from './numbers.js';

/** The trunk and caller ID of a tenant's outbound calls: its first active trunk (by name) and that trunk's caller ID, else one of its numbers. */
export async function outboundRoute(app: App, tenantId: string): Promise<{ trunk: SipTrunk; callerId: string; did: Did | null } | null> {
  const em = tenantEm(app.orm, tenantId);
  const trunk = await em.findOne(SipTrunk, { tenant: tenantId, active: true }, { orderBy: { name: 'asc', id: 'asc' } });
  if (!trunk) return null;
  const dids = await em.find(Did, { tenant: tenantId, trunk: trunk.id }, { orderBy: { number: 'asc' }, populate: ['campaign'] });
  const callerId = trunk.callerIdDefault ?? dids[0]?.number;
  if (!callerId) return null;
  return { trunk, callerId, did: dids.find((d) => d.number === callerId) ?? null };
}

/**
 * An INVITE Kamailio authenticated against an agent's SIP account, to a phone number: the call
 * leaves through the tenant's trunk with a caller ID the API chooses, after the blacklist and the
 * channel limit. It becomes an OUTBOUND VOICE interaction OFFERED to the agent, ACTIVE on answer.
 */
export async function routeOutbound(app: App, req: RouteRequest): Promise<RouteDecision> {
  const userId = userIdFromSipUsername(req.authUser ?? '');
  const slug = tenantSlugFromSipDomain(req.authDomain ?? '', app.config.telephony);
  const tenant = slug && (await platformEm(app.orm).findOne(Tenant, { slug }));
  if (!userId || !tenant || tenant.status !== TenantStatus.ACTIVE) return reject(403, 'Forbidden');
  const tenantId = tenant.id;
  const em = tenantEm(app.orm, tenantId);
  const agent = await em.findOne(User, { id: userId, tenant: tenantId });
  if (!agent || agent.role === Role.PLATFORM_OPERATOR || agent.status !== UserStatus.ACTIVE) return reject(403, 'Forbidden');
  const number = asE164(req.ruriUser);
  if (!number) return reject(484, 'Address Incomplete');
  if (await blacklistMatch(em, tenantId, [{ kind: IdentifierKind.PHONE, value: number }])) {
    app.log.info({ tenantId, agentId: userId }, 'refused an outbound call to a blacklisted number');
    return reject(403, 'Forbidden');
  }
  if ((await em.transactional((tx) => agentLoad(tx, tenantId, userId))).voice > 0) return reject(486, 'Busy Here');
  const route = await outboundRoute(app, tenantId);
  if (!route) return reject(503, 'No trunk');
  const call = await reserveChannel(app, tenantId, { sipCallId: req.callId, fromNumber: route.callerId, toNumber: number, trunkId: route.trunk.id });
  if (call === 'duplicate') return reject(482, 'Loop Detected');
  if (call === 'full') return reject(503, 'Channel limit reached');
  const campaign = route.did?.campaign ?? null;
  const now = app.clock.now();
  const interaction = await em.transactional(async (tx) => {
    const contact = await contactFor(tx, tenantId, IdentifierKind.PHONE, number);
    const i = tx.create(Interaction, {
      tenant: tx.getReference(Tenant, tenantId),
      channel: Channel.VOICE,
      direction: Direction.OUTBOUND,
      // the agent's own call: it is theirs from the start and never lapses; the customer's answer makes it ACTIVE
      state: InteractionState.OFFERED,
      customerAddress: number,
      contact,
      campaign,
      agent: tx.getReference(User, userId),
      createdAt: now,
      offeredAt: now,
    });
    await tx.flush();
    await tx.nativeUpdate(Call, { id: call.id, tenant: tenantId }, { interaction: i.id, record: !!campaign?.recordCalls });
    return i;
  }).catch(async (err) => {
    await endCall(app, tenantId, call.id, { sipCode: 500, endedBy: 'api' });
    throw err;
  });
  publish(app, tenantId, InteractionEventKind.CREATED, subject(interaction));
  const t = route.trunk;
  return {
    action: 'trunk',
    ruri: `sip:${number}@${t.host.includes(':') && !t.host.startsWith('[') ? `[${t.host}]` : t.host}:${t.port};transport=${t.transport.toLowerCase()}`,
    callerId: route.callerId,
    ...(t.username && t.password && { auth: { username: t.username, password: t.password } }),
    interactionId: interaction.id,
    record: !!campaign?.recordCalls,
  };
}
