import { Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsTimeZone } from '../../platform/validation.js';
import { AnonymousCalls, CampaignType, NoAgentAction, OutOfHoursAction } from './campaign.entity.js';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

@InputType('OpeningHoursInput')
export class OpeningHoursInput {
  @Field(() => Int, { description: '1 = Monday ... 7 = Sunday' }) @Min(1) @Max(7) day!: number;
  @Field(() => String) @Matches(HH_MM, { message: 'opens must be HH:MM' }) opens!: string;
  @Field(() => String) @Matches(HH_MM, { message: 'closes must be HH:MM (24:00 for midnight)' }) closes!: string;
}

@InputType('HolidayInput')
export class HolidayInput {
  @Field(() => String) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' }) date!: string;
  @Field(() => String) @Length(1, 120) name!: string;
}

@InputType('CampaignInput', { description: 'A campaign, whole: every field is set as given.' })
export class CampaignInput {
  @Field(() => String) @Length(1, 120) name!: string;
  @Field(() => CampaignType) type!: CampaignType;
  @Field(() => Boolean, { defaultValue: true }) active: boolean = true;
  @Field(() => String, { description: 'IANA time zone of the opening hours and holidays.' }) @IsTimeZone() timeZone!: string;
  @Field(() => [OpeningHoursInput], { nullable: true, description: 'None: open around the clock.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  openingHours?: OpeningHoursInput[];
  @Field(() => [HolidayInput], { nullable: true }) @IsOptional() @ArrayMaxSize(200) @ValidateNested({ each: true }) holidays?: HolidayInput[];
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) welcomeMessage?: string;
  @Field(() => OutOfHoursAction, { defaultValue: OutOfHoursAction.MESSAGE }) outOfHoursAction: OutOfHoursAction = OutOfHoursAction.MESSAGE;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) outOfHoursMessage?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(2000) screenPopUrlTemplate?: string;
  @Field(() => ID, { nullable: true }) defaultQueueId?: string;
  @Field(() => Boolean, { defaultValue: false, description: 'Voice: record the calls.' }) recordCalls: boolean = false;
  @Field(() => NoAgentAction, { defaultValue: NoAgentAction.BUSY, description: 'Voice: what a caller gets when no agent is free.' })
  noAgentAction: NoAgentAction = NoAgentAction.BUSY;
  @Field(() => Int, { defaultValue: 20, description: "Voice: seconds an agent's phone rings (5 to 120)." }) @Min(5) @Max(120) ringSeconds: number = 20;
  @Field(() => AnonymousCalls, { defaultValue: AnonymousCalls.ACCEPT, description: 'Voice: take callers who withhold their number (ACCEPT) or answer them 433 (REJECT).' })
  anonymousCalls: AnonymousCalls = AnonymousCalls.ACCEPT;
}

@InputType('DispositionInput')
export class DispositionInput {
  @Field(() => String, { description: 'Short stable code for reports, e.g. SALE.' })
  @Matches(/^[A-Z0-9_]{1,40}$/, { message: 'code is 1 to 40 upper-case letters, digits or underscores' })
  code!: string;
  @Field(() => String) @Length(1, 120) label!: string;
  @Field(() => Boolean, { defaultValue: true }) active: boolean = true;
}
