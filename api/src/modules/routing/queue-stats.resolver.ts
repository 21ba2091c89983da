import { Arg, Ctx, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import type { Context } from '../../platform/context.js';
import { tenantEm } from '../../platform/db/orm.js';
import { badInput } from '../../platform/errors.js';
import { QueueStatsType, queueStats } from './queue-stats.js';
import { queueStatsStream } from './queue-stats.feed.js';

@Resolver()
export class QueueStatsResolver {
  @Query(() => [QueueStatsType], { description: 'Wallboard figures of some queues (all when none are given).' })
  @Requires(Permission.AGENTS_MONITOR)
  queueStats(@Arg('queueIds', () => [ID], { nullable: true }) queueIds: string[] | null, @Ctx() ctx: Context) {
    if ((queueIds?.length ?? 0) > 100) throw badInput('At most 100 queues', 'queueIds');
    const tenantId = tenantPrincipal(ctx).tenantId;
    return queueStats(ctx.em, tenantId, queueIds ?? [], ctx.app.clock.now());
  }

  @Subscription(() => [QueueStatsType], {
    name: 'queueStats',
    description: 'The figures now, then again whenever interactions or agents of the tenant change (at most twice a second).',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const tenantId = tenantPrincipal(ctx).tenantId;
      const ids = (args as { queueIds?: string[] | null }).queueIds ?? [];
      // unknown ids fail the subscription here, as NOT_FOUND; then the tenant's shared feed
      const first = await queueStats(tenantEm(ctx.app.orm, tenantId), tenantId, ids, ctx.app.clock.now());
      return queueStatsStream(ctx.app, tenantId, ids, first);
    },
  })
  @Requires(Permission.AGENTS_MONITOR)
  queueStatsChanged(@Root() stats: QueueStatsType[], @Arg('queueIds', () => [ID], { nullable: true }) _queueIds: string[] | null): QueueStatsType[] {
    return stats;
  }
}
