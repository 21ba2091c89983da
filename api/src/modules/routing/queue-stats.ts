import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { Em } from '../../platform/db/orm.js';
import { notFound } from '../../platform/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { localDate, zonedInstant } from '../tickets/sla.js';

@ObjectType('QueueStats', { description: "A queue's figures for wallboards, now and since midnight in the tenant's time zone." })
export class QueueStatsType {
  @Field(() => ID) queueId!: string;
  @Field(() => String) queueName!: string;
  @Field(() => Int, { description: 'Interactions waiting now.' }) waiting!: number;
  @Field(() => Int, { description: 'Seconds the oldest waiting interaction has waited.' }) longestWaitSeconds!: number;
  @Field(() => Int) agentsAvailable!: number;
  @Field(() => Int) agentsBusy!: number;
  @Field(() => Int) agentsPaused!: number;
  @Field(() => Int) agentsWrapUp!: number;
  @Field(() => Int) agentsOffline!: number;
  @Field(() => Int, { description: 'Interactions that entered the queue today.' }) offeredToday!: number;
  @Field(() => Int) answeredToday!: number;
  @Field(() => Int) abandonedToday!: number;
  @Field(() => Float, { nullable: true, description: 'Answered within the threshold / offered, today; null before the first.' })
  serviceLevel!: number | null;
  @Field(() => Int, { nullable: true, description: 'Average seconds from answer to end of the interactions closed today.' })
  averageHandleSeconds!: number | null;
  @Field(() => Date) at!: Date;
}

interface Row {
  id: string;
  name: string;
  waiting: string;
  longest: string | null;
  offered: string;
  answered: string;
  answered_in_sl: string;
  abandoned: string;
  aht: string | null;
}

/** Figures of the tenant's queues (all of them when `queueIds` is empty); unknown ids are NOT_FOUND. */
export async function queueStats(em: Em, tenantId: string, queueIds: readonly string[], now: Date): Promise<QueueStatsType[]> {
  const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
  const dayStart = zonedInstant(localDate(now, tenant.timeZone), '00:00', tenant.timeZone);
  const ids = [...new Set(queueIds)];
  const only = ids.length ? `and q.id in (${ids.map(() => '?').join(', ')})` : '';
  const conn = em.getConnection();
  const rows = await conn.execute<Row[]>(
    `select q.id, q.name,
       (select count(*) from interaction i where i.queue_id = q.id and i.state = 'QUEUED' and i.queued_at <= ?) as waiting,
       (select extract(epoch from (?::timestamptz - min(i.queued_at))) from interaction i where i.queue_id = q.id and i.state = 'QUEUED' and i.queued_at <= ?) as longest,
       (select count(*) from interaction i where i.queue_id = q.id and i.queued_at >= ? and i.queued_at <= ?) as offered,
       (select count(*) from interaction i where i.queue_id = q.id and i.answered_at >= ?) as answered,
       (select count(*) from interaction i where i.queue_id = q.id and i.answered_at >= ?
          and i.answered_at - i.queued_at <= make_interval(secs => q.service_level_seconds)) as answered_in_sl,
       (select count(*) from interaction i where i.queue_id = q.id and i.state = 'ABANDONED' and i.ended_at >= ?) as abandoned,
       (select avg(extract(epoch from i.ended_at - i.answered_at)) from interaction i
          where i.queue_id = q.id and i.state = 'CLOSED' and i.ended_at >= ? and i.answered_at is not null) as aht
       from queue q where q.tenant_id = ? ${only} order by q.name`,
    [now, now, now, dayStart, now, dayStart, dayStart, dayStart, dayStart, tenantId, ...ids],
  );
  if (rows.length !== ids.length && ids.length) throw notFound('Queue');
  const agents = await conn.execute<{ queue_id: string; status: string; n: string }[]>(
    `select m.queue_id,
            case when exists (select 1 from session s where s.user_id = m.user_id and s.holds_seat and s.revoked_at is null and s.expires_at > now())
                 then coalesce(a.status, 'OFFLINE') else 'OFFLINE' end as status,
            count(*) as n
       from queue_member m left join agent_state a on a.user_id = m.user_id and a.tenant_id = m.tenant_id
      where m.tenant_id = ? ${ids.length ? `and m.queue_id in (${ids.map(() => '?').join(', ')})` : ''}
      group by 1, 2`,
    [tenantId, ...ids],
  );
  const count = (queueId: string, status: string) => Number(agents.find((a) => a.queue_id === queueId && a.status === status)?.n ?? 0);
  return rows.map((r) => {
    const offered = Number(r.offered);
    return {
      queueId: r.id,
      queueName: r.name,
      waiting: Number(r.waiting),
      longestWaitSeconds: r.longest === null ? 0 : Math.floor(Number(r.longest)),
      agentsAvailable: count(r.id, 'AVAILABLE'),
      agentsBusy: count(r.id, 'BUSY'),
      agentsPaused: count(r.id, 'PAUSED'),
      agentsWrapUp: count(r.id, 'WRAP_UP'),
      agentsOffline: count(r.id, 'OFFLINE'),
      offeredToday: offered,
      answeredToday: Number(r.answered),
      abandonedToday: Number(r.abandoned),
      serviceLevel: offered ? Number(r.answered_in_sl) / offered : null,
      averageHandleSeconds: r.aht === null ? null : Math.round(Number(r.aht)),
      at: now,
    };
  });
}
