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

/**
 * Figures of the tenant's queues (all of them when `queueIds` is empty); unknown ids are NOT_FOUND.
 * One statement reads only what is waiting now (a partial index) and what was queued, answered or
 * ended since midnight (tenant-first indexes on each of those times), grouped by queue, so its
 * cost follows today's traffic, not the tenant's history or other tenants'.
 */
export async function queueStats(em: Em, tenantId: string, queueIds: readonly string[], now: Date): Promise<QueueStatsType[]> {
  const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
  const dayStart = zonedInstant(localDate(now, tenant.timeZone), '00:00', tenant.timeZone);
  const ids = [...new Set(queueIds)];
  const list = ids.map(() => '?').join(', ');
  const conn = em.getConnection();
  const rows = await conn.execute<Row[]>(
    `with q as (select id, name, service_level_seconds from queue where tenant_id = ? ${ids.length ? `and id in (${list})` : ''}),
     w as (select queue_id, count(*) as waiting, extract(epoch from (?::timestamptz - min(queued_at))) as longest
             from interaction where tenant_id = ? and state = 'QUEUED' and queued_at <= ? and queue_id in (select id from q) group by queue_id),
     d as (select i.queue_id,
                  count(*) filter (where i.queued_at >= ? and i.queued_at <= ?) as offered,
                  count(*) filter (where i.answered_at >= ?) as answered,
                  count(*) filter (where i.answered_at >= ? and i.answered_at - i.queued_at <= make_interval(secs => q.service_level_seconds)) as answered_in_sl,
                  count(*) filter (where i.state = 'ABANDONED' and i.ended_at >= ?) as abandoned,
                  avg(extract(epoch from i.ended_at - i.answered_at)) filter (where i.state = 'CLOSED' and i.ended_at >= ? and i.answered_at is not null) as aht
             from interaction i join q on q.id = i.queue_id
            where i.tenant_id = ? and (i.queued_at >= ? or i.answered_at >= ? or i.ended_at >= ?)
            group by i.queue_id)
     select q.id, q.name, coalesce(w.waiting, 0) as waiting, w.longest, coalesce(d.offered, 0) as offered, coalesce(d.answered, 0) as answered,
            coalesce(d.answered_in_sl, 0) as answered_in_sl, coalesce(d.abandoned, 0) as abandoned, d.aht
       from q left join w on w.queue_id = q.id left join d on d.queue_id = q.id
      order by q.name`,
    [tenantId, ...ids, now, tenantId, now, dayStart, now, dayStart, dayStart, dayStart, dayStart, tenantId, dayStart, dayStart, dayStart],
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
