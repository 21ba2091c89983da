import { Arg, Ctx, Field, Mutation, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import { OperatorOnly } from '../../../platform/auth/access.js';
import type { Context } from '../../../platform/context.js';
import { liftSipBan, listSipBans, SipBanReason } from './sip-bans.js';

registerEnumType(SipBanReason, {
  name: 'SipBanReason',
  description: 'FAILURES: too many failed authentications (or INVITEs from no trunk, or bad WebSocket tokens) in the window; FLOOD: too many requests.',
});

@ObjectType('SipBan', { description: 'A source address Kamailio answers nothing at all until `until` (SIP_BAN_SECONDS after it tripped a limit).' })
export class SipBanType {
  @Field(() => String) address!: string;
  @Field(() => SipBanReason) reason!: SipBanReason;
  @Field(() => Date) until!: Date;
}

@Resolver()
export class SipBanResolver {
  @Query(() => [SipBanType], { description: "Source addresses this instance's Kamailio bans now; TELEPHONY_UNAVAILABLE when it runs no Kamailio or cannot reach it." })
  @OperatorOnly()
  sipBans(@Ctx() ctx: Context): Promise<SipBanType[]> {
    return listSipBans(ctx.app);
  }

  @Mutation(() => SipBanType, { description: 'Lifts the ban of an address at once (its counted failures too). BAD_USER_INPUT for no IP address, NOT_FOUND when it is not banned.' })
  @OperatorOnly()
  liftSipBan(@Arg('address', () => String) address: string, @Ctx() ctx: Context): Promise<SipBanType> {
    return liftSipBan(ctx.app, address);
  }
}
