import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Repeater } from '@repeaterjs/repeater';
import { Public, Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import type { Context } from '../../platform/context.js';
import { tenantEm } from '../../platform/db/orm.js';
import { CampaignObject } from '../campaigns/campaign.type.js';
import { InteractionState, MessageSender } from '../interactions/interaction.entity.js';
import { CONVERSATION_EVENT, InteractionEventKind, type InteractionEventPayload } from '../interactions/interaction.events.js';
import { WidgetKey } from './webchat.entity.js';
import { createWidgetKey, leaveChat, revokeWidgetKey, startChat, visitorMessage, visitorSession, visitorTyping, widgetStatus } from './webchat.service.js';
import { ChatStart, ChatWidgetType, StartChatInput, VisitorChatType, VisitorConversationType, VisitorEventKind, VisitorEventType, VisitorMessageType, WidgetKeyType } from './webchat.type.js';
import { conversation, visitorMessages } from './webchat.views.js';

const toKeyType = (k: WidgetKey): WidgetKeyType => ({ id: k.id, key: k.key, allowedOrigins: k.allowedOrigins, createdAt: k.createdAt, revokedAt: k.revokedAt ?? null });

@Resolver(() => CampaignObject)
export class WebchatResolver {
  @Mutation(() => WidgetKeyType, { description: "Creates a chat widget key for a campaign, usable from the given origins (e.g. https://www.example.com)." })
  @Requires(Permission.CAMPAIGNS_MANAGE)
  async createWidgetKey(
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('allowedOrigins', () => [String]) allowedOrigins: string[],
    @Ctx() ctx: Context,
  ) {
    return toKeyType(await createWidgetKey(ctx.em, tenantPrincipal(ctx).tenantId, campaignId, allowedOrigins));
  }

  @Mutation(() => WidgetKeyType)
  @Requires(Permission.CAMPAIGNS_MANAGE)
  async revokeWidgetKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return toKeyType(await revokeWidgetKey(ctx.em, tenantPrincipal(ctx).tenantId, id));
  }

  @FieldResolver(() => [WidgetKeyType])
  async widgetKeys(@Root() campaign: CampaignObject, @Ctx() ctx: Context) {
    const tenantId = tenantPrincipal(ctx).tenantId;
    return (await ctx.em.find(WidgetKey, { tenant: tenantId, campaign: campaign.id }, { orderBy: { id: 'asc' } })).map(toKeyType);
  }

  @Query(() => ChatWidgetType, { description: 'The chat widget before a chat starts: open now, or its out-of-hours behaviour (public: key and origin checked).' })
  @Public()
  chatWidget(@Arg('widgetKey', () => String) widgetKey: string, @Ctx() ctx: Context) {
    return widgetStatus(ctx.app, widgetKey, ctx.origin);
  }

  @Mutation(() => VisitorChatType, { description: 'A website visitor starts a chat (public: the widget key and the page origin are checked; RATE_LIMITED past WEBCHAT_STARTS_PER_ADDRESS per 10 minutes from one address or WEBCHAT_STARTS_PER_KEY per minute for one widget key).' })
  @Public()
  async startChat(@Arg('widgetKey', () => String) widgetKey: string, @Arg('input', () => StartChatInput) input: StartChatInput, @Ctx() ctx: Context) {
    const started = await startChat(ctx.app, widgetKey, ctx.origin, input, ctx.ip);
    const tenantId = started.session.tenant.id;
    return {
      token: started.token,
      outcome: started.outcome as ChatStart,
      closedMessage: started.closedMessage,
      conversation: await conversation(tenantEm(ctx.app.orm, tenantId), tenantId, started.session.interaction?.id ?? null),
    };
  }

  @Query(() => VisitorConversationType, { description: "The visitor's chat so far, to continue after a reload." })
  @Public()
  async visitorConversation(@Arg('token', () => String) token: string, @Ctx() ctx: Context) {
    const { session, tenantId } = await visitorSession(ctx.app, token, ctx.origin);
    return conversation(tenantEm(ctx.app.orm, tenantId), tenantId, session.interaction?.id ?? null);
  }

  @Mutation(() => VisitorMessageType, { description: 'Stored before it is acknowledged.' })
  @Public()
  async sendVisitorMessage(@Arg('token', () => String) token: string, @Arg('body', () => String) body: string, @Ctx() ctx: Context): Promise<VisitorMessageType> {
    const m = await visitorMessage(ctx.app, token, ctx.origin, body);
    return { id: m.id, sender: m.sender, agentName: null, body: m.body, createdAt: m.createdAt };
  }

  @Mutation(() => Boolean, { description: 'Tells the agent the visitor is (or stopped) typing. False when not delivered: the chat is not open, or the chat sent too many typing events (WEBCHAT_TYPING_LIMIT per 5 s; the extra ones are dropped).' })
  @Public()
  visitorTyping(@Arg('token', () => String) token: string, @Arg('typing', () => Boolean) typing: boolean, @Ctx() ctx: Context) {
    return visitorTyping(ctx.app, token, ctx.origin, typing);
  }

  @Mutation(() => InteractionState, { description: 'The visitor leaves: an unanswered chat is ABANDONED, an answered one ends.' })
  @Public()
  leaveChat(@Arg('token', () => String) token: string, @Ctx() ctx: Context) {
    return leaveChat(ctx.app, token, ctx.origin);
  }

  @Subscription(() => VisitorEventType, {
    description: "The visitor's chat live: messages (after `afterMessageId` first, so a reconnect misses nothing), agent typing, state.",
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const { token, afterMessageId } = args as { token: string; afterMessageId?: string | null };
      const { session, tenantId } = await visitorSession(ctx.app, token, ctx.origin);
      const interactionId = session.interaction?.id;
      if (!interactionId) return new Repeater<VisitorEventType>((_push, stop) => stop());
      const em = tenantEm(ctx.app.orm, tenantId);
      const events = ctx.app.events.pubSub.subscribe(CONVERSATION_EVENT, interactionId) as AsyncIterableIterator<InteractionEventPayload>;
      return new Repeater<VisitorEventType>(async (push, stop) => {
        stop.then(() => void events.return?.());
        let last = afterMessageId ?? null;
        const sendMessagesSince = async () => {
          for (const message of await visitorMessages(em.fork(), tenantId, interactionId, last)) {
            last = message.id;
            await push({ kind: VisitorEventKind.MESSAGE, message, agentTyping: null, state: null, agentName: message.agentName });
          }
        };
        await sendMessagesSince(); // what was missed while away
        for await (const e of events) {
          if (e.interactionId !== interactionId) continue;
          if (e.kind === InteractionEventKind.MESSAGE) await sendMessagesSince(); // in order, never twice
          else if (e.kind === InteractionEventKind.TYPING && e.typing?.by === MessageSender.AGENT) {
            await push({ kind: VisitorEventKind.TYPING, message: null, agentTyping: e.typing.active, state: null, agentName: null });
          } else if ([InteractionEventKind.ANSWERED, InteractionEventKind.CLOSED, InteractionEventKind.ABANDONED, InteractionEventKind.TRANSFERRED].includes(e.kind)) {
            const c = await conversation(em.fork(), tenantId, interactionId);
            await push({ kind: VisitorEventKind.STATE, message: null, agentTyping: null, state: c.state, agentName: c.agentName });
          }
        }
      });
    },
  })
  @Public()
  visitorEvents(
    @Root() event: VisitorEventType,
    @Arg('token', () => String) _token: string,
    @Arg('afterMessageId', () => ID, { nullable: true }) _afterMessageId: string | null,
  ): VisitorEventType {
    return event;
  }
}
