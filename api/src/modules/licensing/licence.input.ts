import { Field, InputType, Int } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { LicenceKind } from './licence.entity.js';

@InputType('LicenceTermsInput', { description: 'Proposed licence terms; the policy decides whether they are allowed.' })
export class LicenceTermsInput {
  @Field(() => LicenceKind) kind!: LicenceKind;
  @Field(() => Int) @Min(1) @Max(100000) seats!: number;
  @Field(() => Int, { defaultValue: 1 }) @Min(1) @Max(120) termMonths: number = 1;
  @Field(() => Boolean, { defaultValue: false }) advancedReports: boolean = false;
  @Field(() => Boolean, { defaultValue: false }) aiConnection: boolean = false;
  @Field(() => Boolean, { defaultValue: false }) support247: boolean = false;
  @Field(() => Int, { defaultValue: 0 }) @Min(0) @Max(100000) pbxUsers: number = 0;
  @Field(() => Int, { defaultValue: 0 }) @Min(0) @Max(1000) chatbotLicences: number = 0;
}
