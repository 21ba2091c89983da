import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../../platform/auth/access.js';
import { Permission } from '../../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../../platform/connection.js';
import type { Context } from '../../../platform/context.js';
import { byId } from '../../../platform/loaders.js';
import { Campaign } from '../../campaigns/campaign.entity.js';
import { CampaignObject } from '../../campaigns/campaign.type.js';
import { toCampaignType } from '../../campaigns/campaigns.service.js';
import { SipTrunk } from './trunk.entity.js';
import { DidInput, SipTrunkInput } from './trunk.input.js';
import { DidConnection, DidType, SipTrunkConnection, SipTrunkType } from './trunk.type.js';
import { trunkSourcesChanged } from '../runtime/trunk-sources.js';
import { addDid, createTrunk, deleteTrunk, getTrunk, listDids, listTrunks, removeDid, setDidCampaign, toDidType, toSipTrunkType, updateTrunk } from './trunks.service.js';

const tenantOf = (ctx: Context) => tenantPrincipal(ctx).tenantId;

@Resolver(() => SipTrunkType)
export class SipTrunkResolver {
  @Query(() => SipTrunkConnection, { complexity: connectionComplexity })
  @Requires(Permission.TELEPHONY_MANAGE)
  async sipTrunks(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    const conn = await listTrunks(ctx.em, tenantOf(ctx), page);
    return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: toSipTrunkType(e.node) })) };
  }

  @Query(() => SipTrunkType)
  @Requires(Permission.TELEPHONY_MANAGE)
  async sipTrunk(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toSipTrunkType(await getTrunk(ctx.em, tenantOf(ctx), id));
  }

  @Mutation(() => SipTrunkType)
  @Requires(Permission.TELEPHONY_MANAGE)
  async createSipTrunk(@Arg('input', () => SipTrunkInput) input: SipTrunkInput, @Ctx() ctx: Context) {
    const trunk = toSipTrunkType(await createTrunk(ctx.em, tenantOf(ctx), input));
    await trunkSourcesChanged(ctx.app);
    return trunk;
  }

  @Mutation(() => SipTrunkType)
  @Requires(Permission.TELEPHONY_MANAGE)
  async updateSipTrunk(@Arg('id', () => ID) id: string, @Arg('input', () => SipTrunkInput) input: SipTrunkInput, @Ctx() ctx: Context) {
    const trunk = toSipTrunkType(await updateTrunk(ctx.em, tenantOf(ctx), id, input));
    await trunkSourcesChanged(ctx.app);
    return trunk;
  }

  @Mutation(() => ID, { description: 'Deletes a trunk and the numbers it carries.' })
  @Requires(Permission.TELEPHONY_MANAGE)
  async deleteSipTrunk(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const deleted = await deleteTrunk(ctx.em, tenantOf(ctx), id);
    await trunkSourcesChanged(ctx.app);
    return deleted;
  }
}

@Resolver(() => DidType)
export class DidResolver {
  @Query(() => DidConnection, { complexity: connectionComplexity })
  @Requires(Permission.TELEPHONY_MANAGE)
  async dids(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    const conn = await listDids(ctx.em, tenantOf(ctx), page);
    return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: toDidType(e.node) })) };
  }

  @Mutation(() => DidType)
  @Requires(Permission.TELEPHONY_MANAGE)
  async addDid(@Arg('input', () => DidInput) input: DidInput, @Ctx() ctx: Context) {
    return toDidType(await addDid(ctx.em, tenantOf(ctx), input));
  }

  @Mutation(() => DidType, { description: "Sends the number's calls to another campaign (null: calls to it are refused)." })
  @Requires(Permission.TELEPHONY_MANAGE)
  async setDidCampaign(@Arg('id', () => ID) id: string, @Arg('campaignId', () => ID, { nullable: true }) campaignId: string | null, @Ctx() ctx: Context) {
    return toDidType(await setDidCampaign(ctx.em, tenantOf(ctx), id, campaignId));
  }

  @Mutation(() => ID)
  @Requires(Permission.TELEPHONY_MANAGE)
  removeDid(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return removeDid(ctx.em, tenantOf(ctx), id);
  }

  @FieldResolver(() => SipTrunkType)
  async trunk(@Root() did: DidType, @Ctx() ctx: Context) {
    return toSipTrunkType((await byId(ctx, SipTrunk, 'SipTrunk', tenantOf(ctx)).load(did.trunkId))!);
  }

  @FieldResolver(() => CampaignObject, { nullable: true })
  async campaign(@Root() did: DidType, @Ctx() ctx: Context) {
    const c = did.campaignId && (await byId(ctx, Campaign, 'Campaign', tenantOf(ctx)).load(did.campaignId));
    return c ? toCampaignType(c) : null;
  }
}
