import { Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../../platform/auth/access.js';
import { Permission } from '../../../platform/auth/permissions.js';
import type { Context } from '../../../platform/context.js';
import { tenantEm } from '../../../platform/db/orm.js';
import { sipRegisteredAgents } from '../sip/sip-registrations.js';

@ObjectType('TransferQueue')
export class TransferQueueType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType('TransferAgent')
export class TransferAgentType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Boolean, { description: 'Can take a call now: available or busy with nothing open, phone registered.' }) available!: boolean;
}

@ObjectType('TransferTargets', { description: 'Where the caller may hand an interaction (transferInteraction): queues and other agents.' })
export class TransferTargetsType {
  @Field(() => [TransferQueueType]) queues!: TransferQueueType[];
  @Field(() => [TransferAgentType], { description: 'Other active agents of the tenant, by name.' }) agents!: TransferAgentType[];
}

interface AgentRow {
  id: string;
  name: string;
  status: string;
  open: string;
}

@Resolver()
export class TransferTargetsResolver {
  @Query(() => TransferTargetsType, { description: "The softphone's transfer choices: the tenant's queues and its other agents, with who can take a call now." })
  @Requires(Permission.INTERACTIONS_HANDLE)
  async transferTargets(@Ctx() ctx: Context): Promise<TransferTargetsType> {
    const p = tenantPrincipal(ctx);
    const self = p.kind === 'user' ? p.userId : null;
    const em = tenantEm(ctx.em, p.tenantId);
    const conn = em.getConnection();
    const queues = await conn.execute<TransferQueueType[]>('select id, name from queue where tenant_id = ? order by name, id', [p.tenantId]);
    const agents = await conn.execute<AgentRow[]>(
      `select a.user_id as id, u.name, a.status,
              (select count(*) from interaction i where i.agent_id = a.user_id and i.tenant_id = a.tenant_id and i.state in ('OFFERED', 'ACTIVE')) as open
         from agent_state a join app_user u on u.id = a.user_id and u.tenant_id = a.tenant_id
        where a.tenant_id = ? and u.status = 'ACTIVE' and a.user_id <> coalesce(?::uuid, '00000000-0000-0000-0000-000000000000')
        order by u.name, a.user_id`,
      [p.tenantId, self],
    );
    const registered = await sipRegisteredAgents(em, p.tenantId, agents.map((a) => a.id));
    return {
      queues: queues.map((q) => ({ id: q.id, name: q.name })),
      agents: agents.map((a) => ({
        id: a.id,
        name: a.name,
        available: (a.status === 'AVAILABLE' || a.status === 'BUSY') && Number(a.open) === 0 && registered.has(a.id),
      })),
    };
  }
}
