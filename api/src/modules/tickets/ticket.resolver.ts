import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import DataLoader from 'dataloader';
import { OperatorOnly, Requires, SignedIn, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission, Role } from '../../platform/auth/permissions.js';
import { PageArgs, connectionComplexity } from '../../platform/connection.js';
import { loader, type Context } from '../../platform/context.js';
import { platformEm } from '../../platform/db/orm.js';
import { forbidden } from '../../platform/errors.js';
import { listSupportPolicies, updateSupportPolicy } from './policy.service.js';
import { PLATFORM_TOPIC_ID, TICKET_EVENTS, type TicketEventPayload } from './ticket.events.js';
import { AnswerTicketInput, CloseTicketInput, FileTicketInput, TicketCommentInput, UpdateSupportPolicyInput } from './ticket.input.js';
import { TicketStatus } from './ticket.entity.js';
import {
  acknowledgeEscalation,
  addCustomerComment,
  answerTicket,
  closeTicket,
  commentsOf,
  escalationsOf,
  fileTicket,
  getTicket,
  listTickets,
  reevaluateSeverity,
  type Filer,
} from './ticket.service.js';
import { SupportPolicyType, TicketCommentType, TicketConnection, TicketEscalationType, TicketEventType, TicketType } from './ticket.type.js';

@ArgsType()
class TicketsArgs extends PageArgs {
  @Field(() => TicketStatus, { nullable: true }) status?: TicketStatus;
}

@ArgsType()
class PlatformTicketsArgs extends TicketsArgs {
  @Field(() => ID, { nullable: true }) tenantId?: string;
}

function operatorId(ctx: Context): string {
  if (ctx.principal?.kind !== 'operator') throw forbidden('Only the platform operator may do this');
  return ctx.principal.userId;
}

@Resolver(() => TicketType)
export class TicketResolver {
  @Query(() => [SupportPolicyType], { description: 'The support policies (SLA rules as data); one is active.' })
  @SignedIn()
  async supportPolicies(@Ctx() ctx: Context) {
    const policies = await listSupportPolicies(ctx.em);
    return ctx.principal?.kind === 'operator' ? policies : policies.map((p) => ({ ...p, escalation: [] }));
  }

  @Mutation(() => SupportPolicyType, { description: 'Adjusts a support policy: escalation chain, holidays, warning, which one is active.' })
  @OperatorOnly()
  updateSupportPolicy(@Arg('key', () => String) key: string, @Arg('input', () => UpdateSupportPolicyInput) input: UpdateSupportPolicyInput, @Ctx() ctx: Context) {
    return updateSupportPolicy(ctx.em, key, input);
  }

  @Query(() => TicketConnection, { description: "The caller's tenant tickets, oldest first.", complexity: connectionComplexity })
  @Requires(Permission.TICKETS_READ)
  tickets(@Args(() => TicketsArgs) args: TicketsArgs, @Ctx() ctx: Context) {
    return listTickets(ctx.em, tenantPrincipal(ctx).tenantId, args);
  }

  @Query(() => TicketType)
  @Requires(Permission.TICKETS_READ)
  ticket(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return getTicket(ctx.em, tenantPrincipal(ctx).tenantId, id);
  }

  @Query(() => TicketConnection, { description: 'Every tenant\'s tickets (platform operator).', complexity: connectionComplexity })
  @OperatorOnly()
  platformTickets(@Args(() => PlatformTicketsArgs) args: PlatformTicketsArgs, @Ctx() ctx: Context) {
    return listTickets(ctx.em, args.tenantId ?? null, args);
  }

  @Query(() => TicketType, { description: 'Any ticket (platform operator).' })
  @OperatorOnly()
  platformTicket(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return getTicket(ctx.em, null, id);
  }

  @Mutation(() => TicketType, { description: 'Files a ticket for the caller\'s tenant. Change requests: ADMINISTRATOR only.' })
  @Requires(Permission.TICKETS_FILE)
  fileTicket(@Arg('input', () => FileTicketInput) input: FileTicketInput, @Ctx() ctx: Context) {
    const p = tenantPrincipal(ctx);
    const filer: Filer = p.kind === 'user' ? { kind: 'user', userId: p.userId, administrator: p.role === Role.ADMINISTRATOR } : { kind: 'apiKey' };
    return fileTicket(ctx.app, ctx.em, p.tenantId, filer, input);
  }

  @Mutation(() => TicketType, { description: 'Files a ticket on behalf of a tenant (platform operator).' })
  @OperatorOnly()
  fileTicketForTenant(@Arg('tenantId', () => ID) tenantId: string, @Arg('input', () => FileTicketInput) input: FileTicketInput, @Ctx() ctx: Context) {
    return fileTicket(ctx.app, platformEm(ctx.app.orm), tenantId, { kind: 'operator', userId: operatorId(ctx) }, input);
  }

  @Mutation(() => TicketType, { description: 'The customer adds a comment; a ticket waiting for the customer resumes its clocks.' })
  @Requires(Permission.TICKETS_FILE)
  commentOnTicket(@Arg('ticketId', () => ID) ticketId: string, @Arg('input', () => TicketCommentInput) input: TicketCommentInput, @Ctx() ctx: Context) {
    const p = tenantPrincipal(ctx);
    return addCustomerComment(ctx.app, ctx.em, p.tenantId, p.kind === 'user' ? p.userId : null, ticketId, input);
  }

  @Mutation(() => TicketType, { description: 'The customer confirms (CUSTOMER_CONFIRMED) or archives (CUSTOMER_ARCHIVED) a ticket.' })
  @Requires(Permission.TICKETS_FILE)
  closeOwnTicket(@Arg('ticketId', () => ID) ticketId: string, @Arg('input', () => CloseTicketInput) input: CloseTicketInput, @Ctx() ctx: Context) {
    return closeTicket(ctx.app, ctx.em, tenantPrincipal(ctx).tenantId, ticketId, input);
  }

  @Mutation(() => TicketType, { description: 'The operator answers; the first answer meets the response target. waitForCustomer pauses the clocks.' })
  @OperatorOnly()
  answerTicket(@Arg('ticketId', () => ID) ticketId: string, @Arg('input', () => AnswerTicketInput) input: AnswerTicketInput, @Ctx() ctx: Context) {
    return answerTicket(ctx.app, ctx.em, operatorId(ctx), ticketId, input);
  }

  @Mutation(() => TicketType, { description: "Re-evaluates an incident's severity; the clocks follow the new level." })
  @OperatorOnly()
  reevaluateTicketSeverity(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('severity', () => String) severity: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: Context,
  ) {
    return reevaluateSeverity(ctx.app, ctx.em, operatorId(ctx), ticketId, severity, reason);
  }

  @Mutation(() => TicketType, { description: 'Closes a case with one of the closure reasons (platform operator).' })
  @OperatorOnly()
  closeTicket(@Arg('ticketId', () => ID) ticketId: string, @Arg('input', () => CloseTicketInput) input: CloseTicketInput, @Ctx() ctx: Context) {
    return closeTicket(ctx.app, ctx.em, null, ticketId, input);
  }

  @Mutation(() => TicketType, { description: 'Someone on the escalation chain took the case: stops further steps.' })
  @OperatorOnly()
  acknowledgeTicketEscalation(@Arg('ticketId', () => ID) ticketId: string, @Ctx() ctx: Context) {
    return acknowledgeEscalation(ctx.app, ctx.em, ticketId);
  }

  @Subscription(() => TicketEventType, {
    description: 'Every ticket created, updated, warned, breached or escalated, on every tenant (platform operator).',
    topics: TICKET_EVENTS,
    topicId: () => PLATFORM_TOPIC_ID,
  })
  @OperatorOnly()
  async ticketEvents(@Root() payload: TicketEventPayload, @Ctx() ctx: Context): Promise<TicketEventType> {
    return { kind: payload.kind, level: payload.level, ticket: await getTicket(platformEm(ctx.app.orm), null, payload.ticketId) };
  }

  @FieldResolver(() => [TicketCommentType])
  comments(@Root() ticket: TicketType, @Ctx() ctx: Context) {
    return loader(ctx, 'ticketComments', () => new DataLoader<string, TicketCommentType[]>((ids) => commentsOf(ctx.em, ids))).load(ticket.id);
  }

  @FieldResolver(() => [TicketEscalationType], { description: 'Escalation steps notified so far.' })
  escalations(@Root() ticket: TicketType, @Ctx() ctx: Context) {
    return loader(ctx, 'ticketEscalations', () => new DataLoader<string, TicketEscalationType[]>((ids) => escalationsOf(ctx.em, ids))).load(ticket.id);
  }
}
