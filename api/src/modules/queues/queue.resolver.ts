import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../platform/connection.js';
import { loader, type Context } from '../../platform/context.js';
import { tenantEm } from '../../platform/db/orm.js';
import { badInput } from '../../platform/errors.js';
import { UserType } from '../identity/identity.type.js';
import { toUserType } from '../identity/users.service.js';
import { QueueInput } from './queue.input.js';
import { Queue } from './queue.entity.js';
import { byId } from '../../platform/loaders.js';
import { QueueConnection, QueueType } from './queue.type.js';
import { createQueue, getQueue, listQueues, membersByQueueLoader, setQueueMembers, toQueueType, updateQueue } from './queues.service.js';

@Resolver(() => QueueType)
export class QueueResolver {
  @Query(() => QueueConnection, { complexity: connectionComplexity })
  @Requires(Permission.CAMPAIGNS_READ)
  async queues(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    const conn = await listQueues(ctx.em, tenantPrincipal(ctx).tenantId, page);
    return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: toQueueType(e.node) })) };
  }

  @Query(() => QueueType)
  @Requires(Permission.CAMPAIGNS_READ)
  async queue(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toQueueType(await getQueue(ctx.em, tenantPrincipal(ctx).tenantId, id));
  }

  @Mutation(() => QueueType)
  @Requires(Permission.CAMPAIGNS_MANAGE)
  async createQueue(@Arg('input', () => QueueInput) input: QueueInput, @Ctx() ctx: Context) {
    return toQueueType(await createQueue(ctx.em, tenantPrincipal(ctx).tenantId, input));
  }

  @Mutation(() => QueueType)
  @Requires(Permission.CAMPAIGNS_MANAGE)
  async updateQueue(@Arg('id', () => ID) id: string, @Arg('input', () => QueueInput) input: QueueInput, @Ctx() ctx: Context) {
    return toQueueType(await updateQueue(ctx.em, tenantPrincipal(ctx).tenantId, id, input));
  }

  @Mutation(() => QueueType, { description: 'Replaces the agents who take interactions from the queue.' })
  @Requires(Permission.CAMPAIGNS_MANAGE)
  async setQueueMembers(
    @Arg('queueId', () => ID) queueId: string,
    @Arg('userIds', () => [ID]) userIds: string[],
    @Ctx() ctx: Context,
  ) {
    if (userIds.length > 1000) throw badInput('At most 1000 members', 'userIds');
    return toQueueType(await setQueueMembers(ctx.em, tenantPrincipal(ctx).tenantId, queueId, userIds));
  }

  @FieldResolver(() => QueueType, { nullable: true })
  async overflowQueue(@Root() queue: QueueType, @Ctx() ctx: Context) {
    const overflow = queue.overflowQueueId && (await byId(ctx, Queue, 'Queue', tenantPrincipal(ctx).tenantId).load(queue.overflowQueueId));
    return overflow ? toQueueType(overflow) : null;
  }

  @FieldResolver(() => [UserType])
  async members(@Root() queue: QueueType, @Ctx() ctx: Context) {
    const tenantId = tenantPrincipal(ctx).tenantId;
    const users = await loader(ctx, 'membersByQueue', () => membersByQueueLoader(tenantEm(ctx.em, tenantId), tenantId)).load(queue.id);
    return users.map(toUserType);
  }
}
