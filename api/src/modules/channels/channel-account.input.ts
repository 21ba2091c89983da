import { Field, ID, InputType } from 'type-graphql';
import { IsOptional, Length, MaxLength } from 'class-validator';
import { ChannelAccountKind } from './channel-account.entity.js';

@InputType('ChannelAccountInput', { description: 'A channel account. SMS needs address, accountSid and authToken; TELEGRAM needs botToken.' })
export class ChannelAccountInput {
  @Field(() => ChannelAccountKind) kind!: ChannelAccountKind;
  @Field(() => String) @Length(1, 120) name!: string;
  @Field(() => ID, { description: 'The campaign inbound conversations go to.' }) campaignId!: string;
  @Field(() => String, { nullable: true, description: "SMS: the sending number (any spelling, stored E.164). Telegram: the bot's user name (optional)." })
  @IsOptional() @MaxLength(64) address?: string;
  @Field(() => String, { nullable: true, description: "SMS: Twilio's account SID (AC...)." }) @IsOptional() @MaxLength(64) accountSid?: string;
  @Field(() => String, { nullable: true, description: "SMS, write-only: Twilio's auth token (basic auth password and webhook signing key)." }) @IsOptional() @MaxLength(200) authToken?: string;
  @Field(() => String, { nullable: true, description: "TELEGRAM, write-only: the bot's token from @BotFather." }) @IsOptional() @MaxLength(200) botToken?: string;
}
