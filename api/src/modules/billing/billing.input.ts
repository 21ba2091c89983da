import { Field, InputType, Int } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { LicenceKind } from '../licensing/index.js';

@InputType('BillingPlanInput', { description: 'What to buy: licence kind and seats, plus add-ons.' })
export class BillingPlanInput {
  @Field(() => LicenceKind) kind!: LicenceKind;
  @Field(() => Int) @Min(1) @Max(100000) seats!: number;
  @Field(() => Boolean, { defaultValue: false }) advancedReports: boolean = false;
  @Field(() => Boolean, { defaultValue: false }) aiConnection: boolean = false;
  @Field(() => Boolean, { defaultValue: false }) support247: boolean = false;
  @Field(() => Int, { defaultValue: 0 }) @Min(0) @Max(100000) pbxUsers: number = 0;
  @Field(() => Int, { defaultValue: 0 }) @Min(0) @Max(1000) chatbotLicences: number = 0;
}

@InputType('BillingAddOnsInput', { description: 'Add-ons to change; those left out stay as they are.' })
export class BillingAddOnsInput {
  @Field(() => Boolean, { nullable: true }) advancedReports?: boolean;
  @Field(() => Boolean, { nullable: true }) aiConnection?: boolean;
  @Field(() => Boolean, { nullable: true }) support247?: boolean;
  @Field(() => Int, { nullable: true }) @Min(0) @Max(100000) pbxUsers?: number;
  @Field(() => Int, { nullable: true }) @Min(0) @Max(1000) chatbotLicences?: number;
}
