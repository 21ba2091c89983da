import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import type { Context } from '../../platform/context.js';
import { forbidden } from '../../platform/errors.js';
import { InteractionType, toInteractionType } from '../interactions/index.js';
import { MessageType } from '../interactions/interaction.type.js';
import { toMessageType } from '../interactions/interactions.service.js';
import { accept, agentMessage, agentTyping, close, decline, transfer } from './agent-actions.js';

function agent(ctx: Context) {
  const p = tenantPrincipal(ctx);
  if (p.kind !== 'user') throw forbidden('Only a signed-in agent handles interactions');
  return p;
}

@Resolver()
export class RoutingResolver {
  @Mutation(() => InteractionType, { description: 'Takes an interaction offered to the caller.' })
  @Requires(Permission.INTERACTIONS_HANDLE)
  async acceptInteraction(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const a = agent(ctx);
    return toInteractionType(await accept(ctx.app, a.tenantId, a.userId, id));
  }

  @Mutation(() => InteractionType, { description: 'Turns an offer down; it goes to another agent.' })
  @Requires(Permission.INTERACTIONS_HANDLE)
  async declineInteraction(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const a = agent(ctx);
    return toInteractionType(await decline(ctx.app, a.tenantId, a.userId, id));
  }

  @Mutation(() => MessageType, { description: 'Writes to the customer of an active written interaction; stored before it is acknowledged.' })
  @Requires(Permission.INTERACTIONS_HANDLE)
  async sendMessage(@Arg('interactionId', () => ID) interactionId: string, @Arg('body', () => String) body: string, @Ctx() ctx: Context) {
    const a = agent(ctx);
    return toMessageType(await agentMessage(ctx.app, a.tenantId, a.userId, interactionId, body));
  }

  @Mutation(() => Boolean, { description: 'Tells the customer the agent is (or stopped) typing.' })
  @Requires(Permission.INTERACTIONS_HANDLE)
  setTyping(@Arg('interactionId', () => ID) interactionId: string, @Arg('typing', () => Boolean) typing: boolean, @Ctx() ctx: Context) {
    const a = agent(ctx);
    return agentTyping(ctx.app, a.tenantId, a.userId, interactionId, typing);
  }

  @Mutation(() => InteractionType, { description: 'Hands an active interaction to a queue, or offers it to an agent who can take it now.' })
  @Requires(Permission.INTERACTIONS_HANDLE)
  async transferInteraction(
    @Arg('id', () => ID) id: string,
    @Arg('queueId', () => ID, { nullable: true }) queueId: string | null,
    @Arg('agentId', () => ID, { nullable: true }) agentId: string | null,
    @Ctx() ctx: Context,
  ) {
    const a = agent(ctx);
    return toInteractionType(await transfer(ctx.app, a.tenantId, a.userId, id, { queueId, agentId }));
  }

  @Mutation(() => InteractionType, { description: "Ends an active interaction with a disposition of its campaign and notes." })
  @Requires(Permission.INTERACTIONS_HANDLE)
  async closeInteraction(
    @Arg('id', () => ID) id: string,
    @Arg('dispositionId', () => ID, { nullable: true }) dispositionId: string | null,
    @Arg('notes', () => String, { nullable: true }) notes: string | null,
    @Ctx() ctx: Context,
  ) {
    const a = agent(ctx);
    return toInteractionType(await close(ctx.app, a.tenantId, a.userId, id, { dispositionId, notes }));
  }
}
