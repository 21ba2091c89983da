import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Requires, tenantPrincipal } from '../../platform/auth/access.js';
import { Permission } from '../../platform/auth/permissions.js';
import type { Context } from '../../platform/context.js';
import { BillingAddOnsInput, BillingPlanInput } from './billing.input.js';
import {
  billingView,
  changeSeats,
  listInvoices,
  nextInvoice,
  openPortal,
  quote,
  setAddOns,
  setCancelAtPeriodEnd,
  startCheckout,
  upgradeToOmni,
} from './billing.service.js';
import { BillingInvoiceEstimateType, BillingInvoiceType, BillingQuoteType, BillingRedirectType, BillingType } from './billing.type.js';

const tenantOf = (ctx: Context) => tenantPrincipal(ctx).tenantId;

@Resolver(() => BillingType)
export class BillingResolver {
  @Query(() => BillingType, { description: "The tenant's plan, seats, add-ons and subscription (administrators)." })
  @Requires(Permission.BILLING_MANAGE)
  billing(@Ctx() ctx: Context): Promise<BillingType> {
    return billingView(ctx.app, ctx.em, tenantOf(ctx));
  }

  @FieldResolver(() => BillingInvoiceEstimateType, { nullable: true, description: 'Estimate of the next invoice; null without a running subscription.' })
  nextInvoice(@Root() billing: BillingType, @Ctx() ctx: Context) {
    return nextInvoice(ctx.app, ctx.em, billing.tenantId);
  }

  @FieldResolver(() => [BillingInvoiceType], { description: 'Newest invoices first.' })
  invoices(@Root() billing: BillingType, @Arg('first', () => Int, { defaultValue: 10 }) first: number, @Ctx() ctx: Context) {
    return listInvoices(ctx.app, ctx.em, billing.tenantId, Math.max(1, Math.min(first, 100)));
  }

  @Query(() => BillingQuoteType, { description: 'Checks terms against the licence policy and prices them; changes nothing.' })
  @Requires(Permission.BILLING_MANAGE)
  billingQuote(@Arg('plan', () => BillingPlanInput) plan: BillingPlanInput, @Ctx() ctx: Context) {
    return quote(ctx.app, ctx.em, tenantOf(ctx), plan);
  }

  @Mutation(() => BillingRedirectType, { description: 'Starts a Checkout session for a new subscription; send the administrator to its url.' })
  @Requires(Permission.BILLING_MANAGE)
  async startBillingCheckout(@Arg('plan', () => BillingPlanInput) plan: BillingPlanInput, @Ctx() ctx: Context): Promise<BillingRedirectType> {
    return { url: await startCheckout(ctx.app, ctx.em, tenantOf(ctx), plan) };
  }

  @Mutation(() => BillingRedirectType, { description: "Opens the payment provider's billing portal (payment methods, invoices)." })
  @Requires(Permission.BILLING_MANAGE)
  async openBillingPortal(@Ctx() ctx: Context): Promise<BillingRedirectType> {
    return { url: await openPortal(ctx.app, ctx.em, tenantOf(ctx)) };
  }

  @Mutation(() => BillingType, { description: 'Changes the number of agent seats, prorated.' })
  @Requires(Permission.BILLING_MANAGE)
  changeBillingSeats(@Arg('seats', () => Int) seats: number, @Ctx() ctx: Context) {
    return changeSeats(ctx.app, ctx.em, tenantOf(ctx), seats);
  }

  @Mutation(() => BillingType, { description: 'Adds or removes add-ons, prorated.' })
  @Requires(Permission.BILLING_MANAGE)
  setBillingAddOns(@Arg('addOns', () => BillingAddOnsInput) addOns: BillingAddOnsInput, @Ctx() ctx: Context) {
    return setAddOns(ctx.app, ctx.em, tenantOf(ctx), addOns);
  }

  @Mutation(() => BillingType, { description: 'Upgrades every seat from VOICE to OMNI, prorated (there is no way back).' })
  @Requires(Permission.BILLING_MANAGE)
  upgradeBillingToOmni(@Ctx() ctx: Context) {
    return upgradeToOmni(ctx.app, ctx.em, tenantOf(ctx));
  }

  @Mutation(() => BillingType, { description: 'Cancels at the end of the paid period: service continues until then, no refund.' })
  @Requires(Permission.BILLING_MANAGE)
  cancelBilling(@Ctx() ctx: Context) {
    return setCancelAtPeriodEnd(ctx.app, ctx.em, tenantOf(ctx), true);
  }

  @Mutation(() => BillingType, { description: 'Undoes a cancellation before the paid period ends.' })
  @Requires(Permission.BILLING_MANAGE)
  resumeBilling(@Ctx() ctx: Context) {
    return setCancelAtPeriodEnd(ctx.app, ctx.em, tenantOf(ctx), false);
  }
}

