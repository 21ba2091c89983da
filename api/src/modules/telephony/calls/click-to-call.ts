import type { App } from '../../../platform/context.js';
import { tenantEm } from '../../../platform/db/orm.js';
import { AppError, ErrorCode, badInput } from '../../../platform/errors.js';
import { IdentifierKind } from '../../contacts/identifiers.js';
import { blacklistMatch } from '../../contacts/blacklist.service.js';
import { agentLoad } from '../../routing/dispatch.js';
import { asE164 } from './numbers.js';
import { outboundRoute } from './outbound.js';
import { SOFTPHONE_COMMAND, SoftphoneCommandKind, type SoftphoneCommandPayload } from './softphone.events.js';

/**
 * Asks the agent's own softphone to call a number (from a CRM, a contact card). The checks an
 * outbound call gets anyway come first, so the agent hears at once why it cannot be placed; the
 * softphone's INVITE then goes through the same route decision as a dialled call.
 */
export async function clickToCall(app: App, tenantId: string, userId: string, raw: string): Promise<SoftphoneCommandPayload> {
  const number = asE164(raw.trim());
  if (!number) throw badInput(`"${raw}" is not an international phone number`, 'number');
  const em = tenantEm(app.orm, tenantId);
  if (await blacklistMatch(em, tenantId, [{ kind: IdentifierKind.PHONE, value: number }])) {
    throw new AppError(ErrorCode.DESTINATION_BLOCKED, 'This number is on the blacklist');
  }
  if ((await em.transactional((tx) => agentLoad(tx, tenantId, userId))).voice > 0) {
    throw new AppError(ErrorCode.AGENT_UNAVAILABLE, 'You are already on a call');
  }
  const route = await outboundRoute(app, tenantId);
  if (!route) throw new AppError(ErrorCode.TELEPHONY_UNAVAILABLE, 'No active trunk with a caller ID: an administrator must configure one');
  const command: SoftphoneCommandPayload = { userId, kind: SoftphoneCommandKind.DIAL, number, callerId: route.callerId, at: app.clock.now().toISOString() };
  app.events.publish(SOFTPHONE_COMMAND, tenantId, command);
  return command;
}
