import { Arg, Ctx, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Repeater } from '@repeaterjs/repeater';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import type { Context } from '../../platform/context.js';
import { tenantEm } from '../../platform/db/orm.js';
import { badInput } from '../../platform/errors.js';
import { AGENT_STATE_CHANGED } from '../agents/agent-state.events.js';
import { INTERACTION_EVENT } from '../interactions/interaction.events.js';
import { QueueStatsType, queueStats } from './queue-stats.js';

/** Wallboards want figures, not every event: at most one recomputation per this many ms. */
const THROTTLE_MS = 500;

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
      const em = tenantEm(ctx.app.orm, tenantId);
      const compute = () => queueStats(em.fork(), tenantId, ids, ctx.app.clock.now());
      const first = await compute(); // unknown ids fail the subscription here, as NOT_FOUND
      const changes = Repeater.merge([
        ctx.app.events.pubSub.subscribe(INTERACTION_EVENT, tenantId),
        ctx.app.events.pubSub.subscribe(AGENT_STATE_CHANGED, tenantId),
      ]);
      return new Repeater<QueueStatsType[]>(async (push, stop) => {
        await push(first);
        let last = 0;
        let pending: ReturnType<typeof setTimeout> | undefined;
        const emit = () => {
          pending = undefined;
          last = Date.now();
          compute().then(push, (err) => stop(err));
        };
        stop.then(() => {
          if (pending) clearTimeout(pending);
          void changes.return();
        });
        for await (const _ of changes) {
          if (pending) continue;
          pending = setTimeout(emit, Math.max(0, THROTTLE_MS - (Date.now() - last)));
        }
      });
    },
  })
  @Requires(Permission.AGENTS_MONITOR)
  queueStatsChanged(@Root() stats: QueueStatsType[], @Arg('queueIds', () => [ID], { nullable: true }) _queueIds: string[] | null): QueueStatsType[] {
    return stats;
  }
}
