import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { filter, pipe } from '@graphql-yoga/subscription';
import { Requires, hasPermission, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../platform/connection.js';
import type { Context } from '../../platform/context.js';
import { tenantEm } from '../../platform/db/orm.js';
import { byId } from '../../platform/loaders.js';
import { notFound } from '../../platform/errors.js';
import { Contact } from '../contacts/contact.entity.js';
import { ContactType } from '../contacts/contact.type.js';
import { Queue, QueueType, toQueueType } from '../queues/index.js';
import { User } from '../identity/user.entity.js';
import { UserType } from '../identity/identity.type.js';
import { toUserType } from '../identity/users.service.js';
import { Campaign, Disposition } from '../campaigns/campaign.entity.js';
import { CampaignObject, DispositionType } from '../campaigns/campaign.type.js';
import { toCampaignType } from '../campaigns/campaigns.service.js';
import { Interaction, InteractionState, Message } from './interaction.entity.js';
import { Repeater } from '@repeaterjs/repeater';
import { INTERACTION_EVENT, InteractionEventKind, type InteractionEventPayload } from './interaction.events.js';
import { InteractionConnection, InteractionEventType, InteractionFilter, InteractionType, MessageConnection } from './interaction.type.js';
import { screenPopUrl } from './screen-pop-url.js';
import { fromMessageSnapshot, getInteraction, listMessages, searchInteractions, toInteractionType, toMessageSnapshot, toMessageType } from './interactions.service.js';

/** Each event's interaction, read once for every subscriber the event reaches. */
const interactionOfEvent = new WeakMap<InteractionEventPayload, Promise<InteractionType>>();

/** Agents see the interactions they handle; supervisors and administrators see all. */
const onlyOwn = (ctx: Context) => {
  const p = tenantPrincipal(ctx);
  return p.kind === 'user' && !hasPermission(ctx, Permission.AGENTS_MONITOR) ? p.userId : undefined;
};

@Resolver(() => InteractionType)
export class InteractionResolver {
  @Query(() => InteractionConnection, { complexity: connectionComplexity, description: 'Interactions by contact, channel, state, agent, campaign, queue or time.' })
  @Requires(Permission.INTERACTIONS_READ)
  interactions(
    @Arg('filter', () => InteractionFilter, { nullable: true }) filterArg: InteractionFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return searchInteractions(ctx.em, tenantPrincipal(ctx).tenantId, filterArg ?? {}, page, onlyOwn(ctx));
  }

  @Query(() => InteractionType)
  @Requires(Permission.INTERACTIONS_READ)
  async interaction(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toInteractionType(await getInteraction(ctx.em, tenantPrincipal(ctx).tenantId, id, onlyOwn(ctx)));
  }

  @FieldResolver(() => MessageConnection, { complexity: connectionComplexity })
  messages(@Root() i: InteractionType, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listMessages(tenantEm(ctx.em, tenantPrincipal(ctx).tenantId), tenantPrincipal(ctx).tenantId, i.id, page);
  }

  @FieldResolver(() => ContactType, { nullable: true })
  async contact(@Root() i: InteractionType, @Ctx() ctx: Context) {
    const c = i.contactId && (await byId(ctx, Contact, 'Contact', tenantPrincipal(ctx).tenantId).load(i.contactId));
    return c ? { id: c.id, name: c.name ?? null, createdAt: c.createdAt } : null;
  }

  @FieldResolver(() => CampaignObject, { nullable: true })
  async campaign(@Root() i: InteractionType, @Ctx() ctx: Context) {
    const c = i.campaignId && (await byId(ctx, Campaign, 'Campaign', tenantPrincipal(ctx).tenantId).load(i.campaignId));
    return c ? toCampaignType(c) : null;
  }

  @FieldResolver(() => QueueType, { nullable: true })
  async queue(@Root() i: InteractionType, @Ctx() ctx: Context) {
    const q = i.queueId && (await byId(ctx, Queue, 'Queue', tenantPrincipal(ctx).tenantId).load(i.queueId));
    return q ? toQueueType(q) : null;
  }

  @FieldResolver(() => UserType, { nullable: true })
  async agent(@Root() i: InteractionType, @Ctx() ctx: Context) {
    const u = i.agentId && (await byId(ctx, User, 'User', tenantPrincipal(ctx).tenantId).load(i.agentId));
    return u ? toUserType(u) : null;
  }

  @FieldResolver(() => DispositionType, { nullable: true })
  async disposition(@Root() i: InteractionType, @Ctx() ctx: Context) {
    return i.dispositionId ? ((await byId(ctx, Disposition, 'Disposition', tenantPrincipal(ctx).tenantId).load(i.dispositionId)) ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The campaign's screen pop-up URL filled for this interaction (customer, campaign, agent), for the agent's desktop to open." })
  screenPopUrl(@Root() i: InteractionType, @Ctx() ctx: Context) {
    return screenPopUrl(tenantEm(ctx.em, tenantPrincipal(ctx).tenantId), tenantPrincipal(ctx).tenantId, i);
  }

  @Subscription(() => InteractionEventType, {
    description: 'Interactions created, offered, answered, messaged, transferred and closed (agents: their own). With afterMessageId, the messages missed since come first.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const tenantId = tenantPrincipal(ctx).tenantId;
      const { queueIds = [], interactionIds = [] } = args as { queueIds?: string[] | null; interactionIds?: string[] | null };
      const em = tenantEm(ctx.em, tenantId);
      if (queueIds?.length && (await em.count(Queue, { id: { $in: queueIds }, tenant: tenantId })) !== new Set(queueIds).size) throw notFound('Queue');
      if (interactionIds?.length && (await em.count(Interaction, { id: { $in: interactionIds }, tenant: tenantId })) !== new Set(interactionIds).size) {
        throw notFound('Interaction');
      }
      const own = onlyOwn(ctx);
      const wanted = (e: InteractionEventPayload) =>
        (!own || e.agentId === own) &&
        (!queueIds?.length || (e.queueId !== null && queueIds.includes(e.queueId))) &&
        (!interactionIds?.length || interactionIds.includes(e.interactionId));
      const events = ctx.app.events.pubSub.subscribe(INTERACTION_EVENT, tenantId) as AsyncIterableIterator<InteractionEventPayload>;
      const after = (args as { afterMessageId?: string | null }).afterMessageId;
      if (!after) return pipe(events, filter(wanted));
      // Resume: first the messages written after `afterMessageId` in the interactions asked for
      // (or, for an agent, those it handles now), then live events; no message twice.
      const conversations = interactionIds?.length
        ? interactionIds
        : own
          ? (await em.find(Interaction, { tenant: tenantId, agent: own, state: { $in: [InteractionState.OFFERED, InteractionState.ACTIVE, InteractionState.WRAP_UP] } })).map((i) => i.id)
          : [];
      const missed = conversations.length
        ? await em.find(Message, { tenant: tenantId, interaction: { $in: conversations }, id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: 1000 })
        : [];
      let last = missed.at(-1)?.id ?? after;
      return new Repeater<InteractionEventPayload>(async (push, stop) => {
        stop.then(() => void events.return?.());
        for (const m of missed) {
          await push({ tenantId, kind: InteractionEventKind.MESSAGE, interactionId: m.interaction.id, queueId: null, agentId: own ?? null, messageId: m.id, message: toMessageSnapshot(m), at: m.createdAt.toISOString() });
        }
        for await (const e of events) {
          if (!wanted(e)) continue;
          if (e.kind === InteractionEventKind.MESSAGE && e.messageId && e.messageId <= last) continue;
          if (e.messageId) last = e.messageId > last ? e.messageId : last;
          await push(e);
        }
      });
    },
  })
  @Requires(Permission.EVENTS_SUBSCRIBE)
  async interactionEvents(
    @Root() e: InteractionEventPayload,
    @Arg('queueIds', () => [ID], { nullable: true }) _queueIds: string[] | null,
    @Arg('interactionIds', () => [ID], { nullable: true }) _interactionIds: string[] | null,
    @Arg('afterMessageId', () => ID, { nullable: true, description: 'Resume: first send the messages written after this one.' }) _afterMessageId: string | null,
    @Ctx() ctx: Context,
  ): Promise<InteractionEventType> {
    const em = tenantEm(ctx.app.orm, e.tenantId);
    // The message travels in the event; the interaction is read once per event, whatever the
    // number of subscribers it reaches (they share the event object).
    let interaction = interactionOfEvent.get(e);
    if (!interaction) {
      interaction = em.findOneOrFail(Interaction, { id: e.interactionId, tenant: e.tenantId }).then(toInteractionType);
      interactionOfEvent.set(e, interaction);
    }
    const message = e.message
      ? fromMessageSnapshot(e.message)
      : e.messageId
        ? await em.findOne(Message, { id: e.messageId, tenant: e.tenantId }).then((m) => m && toMessageType(m))
        : null;
    const latest = await interaction;
    // each event shows the state it left the interaction in (a call is created and offered at once)
    const asOfEvent = e.state && e.state !== latest.state ? { ...latest, state: e.state } : latest;
    return { kind: e.kind, interaction: asOfEvent, message, at: new Date(e.at) };
  }
}

@Resolver(() => ContactType)
export class ContactInteractionsResolver {
  @FieldResolver(() => InteractionConnection, { complexity: connectionComplexity, description: 'Everything this customer did, on every channel.' })
  interactions(@Root() contact: ContactType, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return searchInteractions(ctx.em, tenantPrincipal(ctx).tenantId, { contactId: contact.id }, page, onlyOwn(ctx));
  }
}
