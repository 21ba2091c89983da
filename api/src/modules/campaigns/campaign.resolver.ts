import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../platform/connection.js';
import type { Context } from '../../platform/context.js';
import { Queue, QueueType, toQueueType } from '../queues/index.js';
import { byId, groupedBy } from '../../platform/loaders.js';
import { Disposition } from './campaign.entity.js';
import { CampaignInput, DispositionInput } from './campaign.input.js';
import { CampaignConnection, CampaignObject, DispositionType } from './campaign.type.js';
import {
  createCampaign,
  createDisposition,
  getCampaign,
  listCampaigns,
  toCampaignType,
  updateCampaign,
  updateDisposition,
} from './campaigns.service.js';

@Resolver(() => CampaignObject)
export class CampaignResolver {
  @Query(() => CampaignConnection, { complexity: connectionComplexity })
  @Requires(Permission.CAMPAIGNS_READ)
  async campaigns(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    const conn = await listCampaigns(ctx.em, tenantPrincipal(ctx).tenantId, page);
    return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: toCampaignType(e.node) })) };
  }

  @Query(() => CampaignObject)
  @Requires(Permission.CAMPAIGNS_READ)
  async campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toCampaignType(await getCampaign(ctx.em, tenantPrincipal(ctx).tenantId, id));
  }

  @Mutation(() => CampaignObject)
  @Requires(Permission.CAMPAIGNS_MANAGE)
  async createCampaign(@Arg('input', () => CampaignInput) input: CampaignInput, @Ctx() ctx: Context) {
    return toCampaignType(await createCampaign(ctx.em, tenantPrincipal(ctx).tenantId, input));
  }

  @Mutation(() => CampaignObject)
  @Requires(Permission.CAMPAIGNS_MANAGE)
  async updateCampaign(@Arg('id', () => ID) id: string, @Arg('input', () => CampaignInput) input: CampaignInput, @Ctx() ctx: Context) {
    return toCampaignType(await updateCampaign(ctx.em, tenantPrincipal(ctx).tenantId, id, input));
  }

  @Mutation(() => DispositionType)
  @Requires(Permission.CAMPAIGNS_MANAGE)
  createDisposition(
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('input', () => DispositionInput) input: DispositionInput,
    @Ctx() ctx: Context,
  ) {
    return createDisposition(ctx.em, tenantPrincipal(ctx).tenantId, campaignId, input);
  }

  @Mutation(() => DispositionType, { description: "Changes a disposition's label or retires it (active: false); the code stays." })
  @Requires(Permission.CAMPAIGNS_MANAGE)
  updateDisposition(@Arg('id', () => ID) id: string, @Arg('input', () => DispositionInput) input: DispositionInput, @Ctx() ctx: Context) {
    return updateDisposition(ctx.em, tenantPrincipal(ctx).tenantId, id, input);
  }

  @FieldResolver(() => [DispositionType])
  dispositions(
    @Root() campaign: CampaignObject,
    @Arg('includeInactive', () => Boolean, { defaultValue: false }) includeInactive: boolean,
    @Ctx() ctx: Context,
  ) {
    const where = includeInactive ? {} : { active: true };
    return groupedBy(ctx, Disposition, 'Disposition', tenantPrincipal(ctx).tenantId, 'campaign', (d) => d.campaign.id, { where, orderBy: { label: 'asc' } }).load(campaign.id);
  }

  @FieldResolver(() => QueueType, { nullable: true })
  async defaultQueue(@Root() campaign: CampaignObject, @Ctx() ctx: Context) {
    const queue = campaign.defaultQueueId && (await byId(ctx, Queue, 'Queue', tenantPrincipal(ctx).tenantId).load(campaign.defaultQueueId));
    return queue ? toQueueType(queue) : null;
  }
}
