import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../platform/connection.js';
import type { Context } from '../../platform/context.js';
import { byId } from '../../platform/loaders.js';
import { Campaign } from '../campaigns/campaign.entity.js';
import { CampaignObject } from '../campaigns/campaign.type.js';
import { toCampaignType } from '../campaigns/campaigns.service.js';
import { ChannelAccountInput } from './channel-account.input.js';
import { ChannelAccountConnection, ChannelAccountCreated, ChannelAccountType } from './channel-account.type.js';
import { createChannelAccount, deleteChannelAccount, getChannelAccount, listChannelAccounts, toChannelAccountType } from './channel-accounts.service.js';

const tenantOf = (ctx: Context) => tenantPrincipal(ctx).tenantId;

@Resolver(() => ChannelAccountType)
export class ChannelAccountResolver {
  @Query(() => ChannelAccountConnection, { complexity: connectionComplexity })
  @Requires(Permission.CHANNELS_MANAGE)
  async channelAccounts(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    const conn = await listChannelAccounts(ctx.em, tenantOf(ctx), page);
    return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: toChannelAccountType(e.node) })) };
  }

  @Query(() => ChannelAccountType)
  @Requires(Permission.CHANNELS_MANAGE)
  async channelAccount(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toChannelAccountType(await getChannelAccount(ctx.em, tenantOf(ctx), id));
  }

  @Mutation(() => ChannelAccountCreated, { description: 'Connects an SMS (Twilio) or Telegram account to a campaign. Its secrets are stored sealed and never shown again.' })
  @Requires(Permission.CHANNELS_MANAGE)
  async createChannelAccount(@Arg('input', () => ChannelAccountInput) input: ChannelAccountInput, @Ctx() ctx: Context): Promise<ChannelAccountCreated> {
    const { account, webhookSecret } = await createChannelAccount(ctx.app, ctx.em, tenantOf(ctx), input);
    return { account: toChannelAccountType(account), webhookSecret };
  }

  @Mutation(() => ID, { description: 'Deletes a channel account; its conversations stay, its webhook is refused from then on.' })
  @Requires(Permission.CHANNELS_MANAGE)
  deleteChannelAccount(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteChannelAccount(ctx.em, tenantOf(ctx), id);
  }

  @FieldResolver(() => CampaignObject, { nullable: true })
  async campaign(@Root() a: ChannelAccountType, @Ctx() ctx: Context) {
    const c = a.campaignId && (await byId(ctx, Campaign, 'Campaign', tenantOf(ctx)).load(a.campaignId));
    return c ? toCampaignType(c) : null;
  }
}
