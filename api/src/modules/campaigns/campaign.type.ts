import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../platform/connection.js';
import { AnonymousCalls, CampaignType as Kind, NoAgentAction, OutOfHoursAction } from './campaign.entity.js';

registerEnumType(Kind, { name: 'CampaignType', description: 'Inbound voice, outbound voice, or omnichannel (chat, messaging, e-mail).' });
registerEnumType(OutOfHoursAction, {
  name: 'OutOfHoursAction',
  description: 'MESSAGE: tell the customer and end; LEAVE_MESSAGE: take a message that becomes an interaction when the campaign opens; QUEUE: queue anyway.',
});

registerEnumType(AnonymousCalls, {
  name: 'AnonymousCalls',
  description: 'Voice, a caller who withholds the number (no usable From user, e.g. anonymous@anonymous.invalid): ACCEPT routes the call without a contact; REJECT answers 433 Anonymity Disallowed.',
});
registerEnumType(NoAgentAction, { name: 'NoAgentAction', description: 'Voice, no agent free: BUSY answers 486 Busy Here; UNAVAILABLE answers 480 Temporarily Unavailable.' });

@ObjectType('OpeningHours', { description: 'Opening hours of one weekday in the campaign time zone (1 = Monday ... 7 = Sunday).' })
export class OpeningHoursType {
  @Field(() => Int) day!: number;
  @Field(() => String, { description: 'HH:MM' }) opens!: string;
  @Field(() => String, { description: 'HH:MM, after opens' }) closes!: string;
}

@ObjectType('Holiday')
export class HolidayType {
  @Field(() => String, { description: 'YYYY-MM-DD in the campaign time zone.' }) date!: string;
  @Field(() => String) name!: string;
}

@ObjectType('Disposition', { description: 'An outcome agents record at the end of an interaction.' })
export class DispositionType {
  @Field(() => ID) id!: string;
  @Field(() => String) code!: string;
  @Field(() => String) label!: string;
  @Field(() => Boolean) active!: boolean;
}

@ObjectType('Campaign')
export class CampaignObject {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Kind) type!: Kind;
  @Field(() => Boolean) active!: boolean;
  @Field(() => String) timeZone!: string;
  @Field(() => [OpeningHoursType], { description: 'Empty: open around the clock.' }) openingHours!: OpeningHoursType[];
  @Field(() => [HolidayType]) holidays!: HolidayType[];
  @Field(() => String, { nullable: true }) welcomeMessage!: string | null;
  @Field(() => OutOfHoursAction) outOfHoursAction!: OutOfHoursAction;
  @Field(() => String, { nullable: true }) outOfHoursMessage!: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. https://crm.example/contacts?phone={customer.phone}' })
  screenPopUrlTemplate!: string | null;
  @Field(() => Boolean, { description: 'Voice: the calls are recorded.' }) recordCalls!: boolean;
  @Field(() => NoAgentAction) noAgentAction!: NoAgentAction;
  @Field(() => Int, { description: "Voice: seconds an agent's phone rings." }) ringSeconds!: number;
  @Field(() => AnonymousCalls) anonymousCalls!: AnonymousCalls;
  @Field(() => Date) createdAt!: Date;
  /** Not exposed: resolved by the defaultQueue field. */
  defaultQueueId!: string | null;
}

export const CampaignConnection = Connection(CampaignObject, 'Campaign');
