import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { filter, pipe } from '@graphql-yoga/subscription';
import { Permission } from '../../platform/auth/permissions.js';
import { connectionComplexity } from '../../platform/connection.js';
import type { Context } from '../../platform/context.js';
import { forbidden } from '../../platform/errors.js';
import { AgentStatus } from './agent-state.entity.js';
import { AGENT_STATE_CHANGED, type AgentStateChangedPayload } from './agent-state.events.js';
import { AgentStateConnection, AgentStatesArgs, AgentStateType } from './agent-state.type.js';
import { agentState, assertAgents, listAgentStates, setOwnState, setWrittenCapacity } from './agent-states.service.js';

function agentCaller(ctx: Context) {
  const p = tenantPrincipal(ctx);
  if (p.kind !== 'user') throw forbidden('Only a signed-in agent has a routing state');
  return p;
}

@Resolver()
export class AgentStateResolver {
  @Query(() => AgentStateType, { description: "The calling agent's routing state." })
  @Requires(Permission.AGENT_STATE_SET)
  myAgentState(@Ctx() ctx: Context) {
    const p = agentCaller(ctx);
    return agentState(ctx.em, p.tenantId, p.userId);
  }

  @Mutation(() => AgentStateType, { description: 'Go AVAILABLE, PAUSED (with a reason) or OFFLINE.' })
  @Requires(Permission.AGENT_STATE_SET)
  setMyAgentState(
    @Arg('status', () => AgentStatus) status: AgentStatus,
    @Arg('pauseReason', () => String, { nullable: true }) pauseReason: string | null,
    @Ctx() ctx: Context,
  ) {
    const p = agentCaller(ctx);
    return setOwnState(ctx.app, ctx.em, p.tenantId, p.userId, status, pauseReason);
  }

  @Query(() => AgentStateConnection, { description: "The tenant's agents and their states.", complexity: connectionComplexity })
  @Requires(Permission.AGENTS_MONITOR)
  agentStates(@Args(() => AgentStatesArgs) args: AgentStatesArgs, @Ctx() ctx: Context) {
    return listAgentStates(ctx.em, tenantPrincipal(ctx).tenantId, args);
  }

  @Mutation(() => AgentStateType, { description: 'How many written interactions (chat, SMS, e-mail...) an agent takes at once.' })
  @Requires(Permission.CAMPAIGNS_MANAGE)
  setAgentWrittenCapacity(
    @Arg('userId', () => ID) userId: string,
    @Arg('capacity', () => Int) capacity: number,
    @Ctx() ctx: Context,
  ) {
    return setWrittenCapacity(ctx.app, ctx.em, tenantPrincipal(ctx).tenantId, userId, capacity);
  }

  @Subscription(() => AgentStateType, {
    description: "Agents' state changes in the caller's tenant, optionally for some agents only.",
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const tenantId = tenantPrincipal(ctx).tenantId;
      const userIds = (args as { userIds?: string[] | null }).userIds ?? [];
      if (userIds.length) await assertAgents(ctx.em, tenantId, userIds);
      const events = ctx.app.events.pubSub.subscribe(AGENT_STATE_CHANGED, tenantId) as AsyncIterable<AgentStateChangedPayload>;
      return userIds.length ? pipe(events, filter((p: AgentStateChangedPayload) => userIds.includes(p.userId))) : events;
    },
  })
  @Requires(Permission.AGENTS_MONITOR)
  agentStateChanged(
    @Root() payload: AgentStateChangedPayload,
    @Arg('userIds', () => [ID], { nullable: true }) _userIds: string[] | null,
  ): AgentStateType {
    return payload;
  }
}
