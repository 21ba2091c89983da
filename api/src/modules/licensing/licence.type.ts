import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LicenceKind, LicenceStatus } from './licence.entity.js';
import { LicenceRule } from './licence-rules.js';

registerEnumType(LicenceKind, {
  name: 'LicenceKind',
  description: 'VOICE agents handle calls only; OMNI agents handle every channel and chatbots.',
});
registerEnumType(LicenceStatus, {
  name: 'LicenceStatus',
  description: 'ACTIVE; GRACE: a payment failed, agents still sign in until graceEndsAt; SUSPENDED: new agent sign-ins are refused, no data is deleted.',
});
registerEnumType(LicenceRule, { name: 'LicenceRule', description: 'A licence policy rule that proposed terms can break.' });

@ObjectType('LicencePolicy', { description: 'Licence rules as data; CLOUD, ON_PREMISES and UCONTACT are presets.' })
export class LicencePolicyType {
  @Field(() => ID) key!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) minSeats!: number;
  @Field(() => Int) seatStep!: number;
  @Field(() => Int) minTermMonths!: number;
  @Field(() => Int) channelsPerSeat!: number;
  @Field(() => Boolean) allowsPbxUsers!: boolean;
}

@ObjectType('LicenceAddOns')
export class LicenceAddOnsType {
  @Field(() => Boolean) advancedReports!: boolean;
  @Field(() => Boolean, { description: 'AI connection for chatbots.' }) aiConnection!: boolean;
  @Field(() => Boolean, { description: '24/7 support.' }) support247!: boolean;
  @Field(() => Int, { description: 'PBX users (cloud only).' }) pbxUsers!: number;
  @Field(() => Int, { description: 'One per distinct chatbot workflow.' }) chatbotLicences!: number;
}

@ObjectType('Licence', { description: "A tenant's licence: one kind for every seat, plus add-ons." })
export class LicenceType {
  @Field(() => ID) id!: string;
  @Field(() => LicenceKind) kind!: LicenceKind;
  @Field(() => Int, { description: 'Agents that may be signed in at the same time.' }) seats!: number;
  @Field(() => Int, { description: 'Agents signed in now.' }) seatsInUse!: number;
  @Field(() => Int, { description: 'Concurrent telephony channels: channelsPerSeat x seats.' }) channels!: number;
  @Field(() => Int) termMonths!: number;
  @Field(() => Date) startsAt!: Date;
  @Field(() => LicenceAddOnsType) addOns!: LicenceAddOnsType;
  @Field(() => LicencePolicyType) policy!: LicencePolicyType;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => LicenceStatus, { description: 'Whether new agents may sign in (billing standing).' }) status!: LicenceStatus;
  @Field(() => Date, { nullable: true, description: 'End of the grace period after a failed payment, when status is GRACE.' })
  graceEndsAt!: Date | null;
}

@ObjectType('LicenceViolation')
export class LicenceViolationType {
  @Field(() => LicenceRule) rule!: LicenceRule;
  @Field(() => String) message!: string;
}

@ObjectType('LicenceCheck', { description: 'Whether proposed terms satisfy the tenant policy.' })
export class LicenceCheckType {
  @Field(() => Boolean) valid!: boolean;
  @Field(() => [LicenceViolationType]) violations!: LicenceViolationType[];
  @Field(() => Int) channels!: number;
}
