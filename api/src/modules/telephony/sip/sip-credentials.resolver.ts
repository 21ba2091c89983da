import { Ctx, Mutation, Resolver } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../../platform/auth/access.js';
import { Permission } from '../../../platform/auth/permissions.js';
import type { Context } from '../../../platform/context.js';
import { AppError, ErrorCode, forbidden } from '../../../platform/errors.js';
import { telephonyRuntime } from '../runtime/index.js';
import { sipOriginAllowed } from '../runtime/ws-origins.js';
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
    const runtime = telephonyRuntime(ctx.app);
    if (!runtime) throw new AppError(ErrorCode.TELEPHONY_UNAVAILABLE, 'Telephony is not running on this platform');
    // Kamailio would refuse this page's WebSocket handshake (403), which a browser cannot see: say so now.
    if (!sipOriginAllowed(runtime.origins, ctx.origin)) {
      throw new AppError(ErrorCode.ORIGIN_NOT_ALLOWED, `This page's address (${ctx.origin}) may not open the SIP WebSocket; add it to SIP_WS_ORIGINS`);
    }
    return issueSipCredentials(ctx.app, ctx.em, p.tenantId, p.userId);
  }
}
