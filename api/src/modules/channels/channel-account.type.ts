import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../platform/connection.js';
import { ChannelAccountKind } from './channel-account.entity.js';

registerEnumType(ChannelAccountKind, { name: 'ChannelAccountKind', description: 'The provider a channel account speaks to: SMS (Twilio Messaging API) or TELEGRAM (Bot API).' });

@ObjectType('ChannelAccount', { description: "A tenant's account with a messaging provider. Its provider secrets are write-only: they are never shown." })
export class ChannelAccountType {
  @Field(() => ID) id!: string;
  @Field(() => ChannelAccountKind) kind!: ChannelAccountKind;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: "SMS: the number messages are sent from (E.164). Telegram: the bot's user name." }) address!: string | null;
  @Field(() => String, { nullable: true, description: "SMS: Twilio's account SID." }) accountSid!: string | null;
  @Field(() => String, { description: "Path of the inbound webhook on this API (prefix it with PUBLIC_URL and give it to the provider)." }) webhookPath!: string;
  @Field(() => String, { nullable: true, description: 'SMS: path of the status callback (outbound messages name it themselves).' }) statusCallbackPath!: string | null;
  @Field(() => Boolean) active!: boolean;
  @Field(() => Date) createdAt!: Date;
  /** Resolved by its field. */
  campaignId!: string | null;
}

@ObjectType('ChannelAccountCreated')
export class ChannelAccountCreated {
  @Field(() => ChannelAccountType) account!: ChannelAccountType;
  @Field(() => String, {
    nullable: true,
    description: "TELEGRAM: the secret_token to pass to the Bot API's setWebhook. Shown this once; Telegram sends it back in X-Telegram-Bot-Api-Secret-Token.",
  })
  webhookSecret!: string | null;
}

export const ChannelAccountConnection = Connection(ChannelAccountType, 'ChannelAccount');
