import { Ctx, Mutation, Resolver } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../../platform/auth/access.js';
import { Permission } from '../../../platform/auth/permissions.js';
import type { Context } from '../../../platform/context.js';
import { AppError, ErrorCode, forbidden } from '../../../platform/errors.js';
import { telephonyRuntime } from '../runtime/index.js';
import { issueSipCredentials } from './sip-accounts.js';
import { SipCredentialsType } from './sip-credentials.type.js';

@Resolver()
export class SipCredentialsResolver {
  @Mutation(() => SipCredentialsType, {
    description: "Issues the calling agent's softphone short-lived SIP credentials; TELEPHONY_UNAVAILABLE when this API runs no Kamailio (the softphone then shows no voice controls).",
  })
  @Requires(Permission.AGENT_STATE_SET)
  issueSipCredentials(@Ctx() ctx: Context): Promise<SipCredentialsType> {
    const p = tenantPrincipal(ctx);
    if (p.kind !== 'user') throw forbidden('Only a signed-in agent has SIP credentials');
    if (!telephonyRuntime(ctx.app)) throw new AppError(ErrorCode.TELEPHONY_UNAVAILABLE, 'Telephony is not running on this platform');
    return issueSipCredentials(ctx.app, ctx.em, p.tenantId, p.userId);
  }
}
