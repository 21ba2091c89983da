import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LicenceAddOnsType, LicenceKind, LicenceStatus, LicenceViolationType } from '../licensing/index.js';

export enum BillingStatus {
  NONE = 'NONE',
  INCOMPLETE = 'INCOMPLETE',
  TRIALING = 'TRIALING',
  ACTIVE = 'ACTIVE',
  PAST_DUE = 'PAST_DUE',
  UNPAID = 'UNPAID',
  PAUSED = 'PAUSED',
  CANCELED = 'CANCELED',
}
registerEnumType(BillingStatus, {
  name: 'BillingStatus',
  description: "The tenant's subscription as the payment provider sees it; NONE before the first Checkout.",
});

@ObjectType('BillingInvoice', { description: 'An invoice of the tenant, with links hosted by the payment provider.' })
export class BillingInvoiceType {
  @Field(() => String, { nullable: true }) number!: string | null;
  @Field(() => String, { description: 'draft, open, paid, uncollectible or void.' }) status!: string;
  @Field(() => Int, { description: 'In cents of currency.' }) amountDue!: number;
  @Field(() => Int) amountPaid!: number;
  @Field(() => String) currency!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => String, { nullable: true }) hostedInvoiceUrl!: string | null;
  @Field(() => String, { nullable: true }) pdfUrl!: string | null;
}

@ObjectType('BillingInvoiceEstimate', { description: 'What the next invoice will ask, as the payment provider estimates it now.' })
export class BillingInvoiceEstimateType {
  @Field(() => Int, { description: 'In cents of currency.' }) amountDue!: number;
  @Field(() => String) currency!: string;
  @Field(() => Date, { nullable: true }) date!: Date | null;
}

@ObjectType('Billing', { description: "The tenant's plan and subscription. nextInvoice and invoices ask the payment provider when selected." })
export class BillingType {
  /** Not exposed: lets field resolvers find the tenant. */
  tenantId!: string;
  @Field(() => Boolean, { description: 'Whether this platform takes payments (Stripe configured).' }) configured!: boolean;
  @Field(() => BillingStatus) status!: BillingStatus;
  @Field(() => LicenceKind, { nullable: true, description: 'The plan: the licence kind.' }) plan!: LicenceKind | null;
  @Field(() => Int) seatsLicensed!: number;
  @Field(() => Int, { description: 'Agents signed in now.' }) seatsUsed!: number;
  @Field(() => LicenceAddOnsType, { nullable: true }) addOns!: LicenceAddOnsType | null;
  @Field(() => LicenceStatus, { nullable: true }) licenceStatus!: LicenceStatus | null;
  @Field(() => Date, { nullable: true }) graceEndsAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'End of the paid period.' }) currentPeriodEnd!: Date | null;
  @Field(() => Boolean, { description: 'Cancelled: service continues until currentPeriodEnd, then stops; no refund.' })
  cancelAtPeriodEnd!: boolean;
  @Field(() => Int, { description: 'Monthly price of the licence at catalogue prices, in cents.' }) monthlyAmount!: number;
  @Field(() => String) currency!: string;
}

@ObjectType('BillingQuoteLine')
export class BillingQuoteLineType {
  @Field(() => String, { description: 'Catalogue item: VOICE_AGENT, OMNI_AGENT, ADVANCED_REPORTS, AI_CONNECTION, SUPPORT_247, PBX_USER, CHATBOT_LICENCE.' })
  item!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Int, { description: 'Monthly, in cents.' }) unitAmount!: number;
  @Field(() => Int) amount!: number;
}

@ObjectType('BillingQuote', { description: 'Proposed terms checked against the licence policy and priced.' })
export class BillingQuoteType {
  @Field(() => Boolean) valid!: boolean;
  @Field(() => [LicenceViolationType]) violations!: LicenceViolationType[];
  @Field(() => [BillingQuoteLineType]) lines!: BillingQuoteLineType[];
  @Field(() => Int, { description: 'Monthly total in cents.' }) monthlyAmount!: number;
  @Field(() => Int, {
    nullable: true,
    description: 'Due now for a change of an existing subscription (prorated, from the payment provider); null for a new one or invalid terms.',
  })
  prorationAmount!: number | null;
  @Field(() => String) currency!: string;
}

@ObjectType('BillingRedirect', { description: 'A page of the payment provider to send the administrator to.' })
export class BillingRedirectType {
  @Field(() => String) url!: string;
}
