import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { OperatorOnly, Public, Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import type { Context } from '../../platform/context.js';
import { PLATFORM_TOPIC_ID } from '../tickets/ticket.events.js';
import { availabilityCredit, availabilityReport } from './availability.service.js';
import { STATUS_CHANGED } from './status.events.js';
import { OpenStatusIncidentInput, PostMortemInput, ScheduleMaintenanceInput, StatusComponentInput, StatusIncidentUpdateInput } from './status.input.js';
import {
  addServer,
  cancelMaintenance,
  confirmSubscription,
  createComponent,
  openIncident,
  publishPostMortem,
  scheduleMaintenance,
  statusPage,
  subscribe,
  unsubscribe,
  updateIncident,
} from './status.service.js';
import {
  AvailabilityCreditType,
  AvailabilityReportType,
  MaintenanceWindowType,
  StatusComponentType,
  StatusIncidentType,
  StatusPageType,
  StatusSubscriptionType,
} from './status.type.js';

@Resolver()
export class StatusResolver {
  @Query(() => StatusPageType, { description: 'The public status page (no sign-in).' })
  @Public()
  statusPage(@Ctx() ctx: Context) {
    return statusPage(ctx.em, ctx.app.clock.now());
  }

  @Subscription(() => StatusPageType, { description: 'The status page again whenever anything on it changes (no sign-in).', topics: STATUS_CHANGED, topicId: () => PLATFORM_TOPIC_ID })
  @Public()
  statusChanged(@Root() _payload: unknown, @Ctx() ctx: Context) {
    return statusPage(ctx.em, ctx.app.clock.now());
  }

  @Mutation(() => Boolean, { description: 'Asks for status notices by e-mail; a confirmation message is sent first.' })
  @Public()
  subscribeToStatus(@Arg('email', () => String) email: string, @Ctx() ctx: Context) {
    return subscribe(ctx.app, ctx.em, email, ctx.ip);
  }

  @Mutation(() => StatusSubscriptionType)
  @Public()
  confirmStatusSubscription(@Arg('token', () => String) token: string, @Ctx() ctx: Context) {
    return confirmSubscription(ctx.app, ctx.em, token);
  }

  @Mutation(() => Boolean)
  @Public()
  unsubscribeFromStatus(@Arg('token', () => String) token: string, @Ctx() ctx: Context) {
    return unsubscribe(ctx.em, token);
  }

  @Mutation(() => StatusComponentType)
  @OperatorOnly()
  createStatusComponent(@Arg('input', () => StatusComponentInput) input: StatusComponentInput, @Ctx() ctx: Context) {
    return createComponent(ctx.app, ctx.em, input);
  }

  @Mutation(() => StatusComponentType, { description: 'Adds a server under a component.' })
  @OperatorOnly()
  addStatusServer(@Arg('componentId', () => ID) componentId: string, @Arg('name', () => String) name: string, @Ctx() ctx: Context) {
    return addServer(ctx.app, ctx.em, componentId, name);
  }

  @Mutation(() => StatusIncidentType, { description: 'Opens an incident (INVESTIGATING) and e-mails every technical contact and subscriber.' })
  @OperatorOnly()
  openStatusIncident(@Arg('input', () => OpenStatusIncidentInput) input: OpenStatusIncidentInput, @Ctx() ctx: Context) {
    return openIncident(ctx.app, ctx.em, input);
  }

  @Mutation(() => StatusIncidentType, { description: 'Posts an update (a phase) and e-mails it; MONITORING must be re-evaluated within 4 h.' })
  @OperatorOnly()
  updateStatusIncident(@Arg('incidentId', () => ID) incidentId: string, @Arg('input', () => StatusIncidentUpdateInput) input: StatusIncidentUpdateInput, @Ctx() ctx: Context) {
    return updateIncident(ctx.app, ctx.em, incidentId, input);
  }

  @Mutation(() => StatusIncidentType, { description: 'Publishes the post-mortem of a resolved incident (due within 72 h).' })
  @OperatorOnly()
  publishPostMortem(@Arg('incidentId', () => ID) incidentId: string, @Arg('input', () => PostMortemInput) input: PostMortemInput, @Ctx() ctx: Context) {
    return publishPostMortem(ctx.app, ctx.em, incidentId, input);
  }

  @Mutation(() => MaintenanceWindowType, { description: "Schedules maintenance: inside the weekly windows, or announced with the policy's notice (5 days)." })
  @OperatorOnly()
  scheduleMaintenance(@Arg('input', () => ScheduleMaintenanceInput) input: ScheduleMaintenanceInput, @Ctx() ctx: Context) {
    return scheduleMaintenance(ctx.app, ctx.em, input);
  }

  @Mutation(() => MaintenanceWindowType)
  @OperatorOnly()
  cancelMaintenance(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return cancelMaintenance(ctx.app, ctx.em, id);
  }

  @Query(() => AvailabilityReportType, { description: 'Monthly availability per component (platform operator). month: YYYY-MM (UTC).' })
  @OperatorOnly()
  availabilityReport(@Arg('month', () => String) month: string, @Ctx() ctx: Context) {
    return availabilityReport(ctx.em, month, ctx.app.clock.now());
  }

  @Query(() => AvailabilityCreditType, { description: "A tenant's availability credit for a month (platform operator)." })
  @OperatorOnly()
  tenantAvailabilityCredit(@Arg('tenantId', () => ID) tenantId: string, @Arg('month', () => String) month: string, @Ctx() ctx: Context) {
    return availabilityCredit(ctx.em, tenantId, month, ctx.app.clock.now());
  }

  @Query(() => AvailabilityCreditType, { description: "The caller's tenant availability credit for a month (YYYY-MM)." })
  @Requires(Permission.LICENCE_READ)
  availabilityCredit(@Arg('month', () => String) month: string, @Ctx() ctx: Context) {
    return availabilityCredit(ctx.em, tenantPrincipal(ctx).tenantId, month, ctx.app.clock.now());
  }
}
