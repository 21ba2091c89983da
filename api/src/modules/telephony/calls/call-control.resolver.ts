import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver, Root, Subscription, registerEnumType } from 'type-graphql';
import { filter, pipe } from '@graphql-yoga/subscription';
import { Requires, tenantPrincipal } from '../../../platform/auth/access.js';
import { Permission } from '../../../platform/auth/permissions.js';
import type { Context } from '../../../platform/context.js';
import { forbidden } from '../../../platform/errors.js';
import { InteractionType, toInteractionType } from '../../interactions/index.js';
import { clickToCall } from './click-to-call.js';
import { hangUp } from './hang-up.js';
import { SOFTPHONE_COMMAND, SoftphoneCommandKind, type SoftphoneCommandPayload } from './softphone.events.js';

registerEnumType(SoftphoneCommandKind, {
  name: 'SoftphoneCommandKind',
  description: 'DIAL: place a call to the number. TRANSFER: send REFER in the call of the interaction, to referTo.',
});

@ObjectType('SoftphoneCommand', { description: "A request to the agent's own softphone." })
export class SoftphoneCommandType {
  @Field(() => SoftphoneCommandKind) kind!: SoftphoneCommandKind;
  @Field(() => String, { nullable: true, description: 'DIAL: E.164 number to call.' }) number!: string | null;
  @Field(() => String, { nullable: true, description: 'DIAL: the caller ID the call will present.' }) callerId!: string | null;
  @Field(() => ID, { nullable: true, description: 'TRANSFER: the interaction whose call is transferred.' }) interactionId!: string | null;
  @Field(() => String, { nullable: true, description: 'TRANSFER: the URI to REFER the caller to (good for one call, for a minute).' }) referTo!: string | null;
  @Field(() => String, { nullable: true, description: "TRANSFER: the target queue's or agent's name." }) target!: string | null;
  @Field(() => Date) at!: Date;
}

const toCommand = (c: SoftphoneCommandPayload): SoftphoneCommandType => ({
  kind: c.kind,
  number: c.number ?? null,
  callerId: c.callerId ?? null,
  interactionId: c.interactionId ?? null,
  referTo: c.referTo ?? null,
  target: c.target ?? null,
  at: new Date(c.at),
});

function signedInUser(ctx: Context) {
  const p = tenantPrincipal(ctx);
  if (p.kind !== 'user') throw forbidden('Only a signed-in agent has a softphone');
  return p;
}

@Resolver()
export class CallControlResolver {
  @Mutation(() => InteractionType, { description: "Ends a VOICE interaction's call in progress (supervisors)." })
  @Requires(Permission.INTERACTIONS_INTERVENE)
  async hangUpCall(@Arg('interactionId', () => ID) interactionId: string, @Ctx() ctx: Context) {
    return toInteractionType(await hangUp(ctx.app, tenantPrincipal(ctx).tenantId, interactionId));
  }

  @Mutation(() => SoftphoneCommandType, { description: "Asks the caller's softphone to call a number (click-to-call); blacklist and trunk are checked first." })
  @Requires(Permission.INTERACTIONS_HANDLE)
  async clickToCall(@Arg('number', () => String) number: string, @Ctx() ctx: Context) {
    const p = signedInUser(ctx);
    return toCommand(await clickToCall(ctx.app, p.tenantId, p.userId, number));
  }

  @Subscription(() => SoftphoneCommandType, {
    description: "Requests to the caller's own softphone (click-to-call, call transfers).",
    subscribe: ({ context }) => {
      const ctx = context as Context;
      const p = signedInUser(ctx);
      const events = ctx.app.events.pubSub.subscribe(SOFTPHONE_COMMAND, p.tenantId) as AsyncIterable<SoftphoneCommandPayload>;
      return pipe(events, filter((c: SoftphoneCommandPayload) => c.userId === p.userId));
    },
  })
  @Requires(Permission.INTERACTIONS_HANDLE)
  softphoneCommands(@Root() c: SoftphoneCommandPayload): SoftphoneCommandType {
    return toCommand(c);
  }
}
