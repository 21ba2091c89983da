import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { Connection } from '../../platform/connection.js';
import { Channel, DeliveryState, Direction, InteractionState, MessageSender } from './interaction.entity.js';
import { InteractionEventKind } from './interaction.events.js';

registerEnumType(Channel, { name: 'Channel' });
registerEnumType(Direction, { name: 'Direction' });
registerEnumType(InteractionState, {
  name: 'InteractionState',
  description: 'QUEUED -> OFFERED (to one agent) -> ACTIVE -> CLOSED; ABANDONED when the customer left first.',
});
registerEnumType(MessageSender, { name: 'MessageSender' });
registerEnumType(DeliveryState, { name: 'DeliveryState' });
registerEnumType(InteractionEventKind, { name: 'InteractionEventKind' });

@ObjectType('Interaction', { description: 'One conversation on one channel.' })
export class InteractionType {
  @Field(() => ID) id!: string;
  @Field(() => Channel) channel!: Channel;
  @Field(() => Direction) direction!: Direction;
  @Field(() => InteractionState) state!: InteractionState;
  @Field(() => String, { nullable: true, description: "The customer's number, address or handle on this channel." })
  customerAddress!: string | null;
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'In the queue from (later than createdAt for messages left out of hours).' })
  queuedAt!: Date | null;
  @Field(() => Date, { nullable: true }) offeredAt!: Date | null;
  @Field(() => Date, { nullable: true }) answeredAt!: Date | null;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => String, { nullable: true, description: 'Storage reference of the call recording (voice), until retention deletes it.' })
  recordingRef!: string | null;
  @Field(() => Date, { nullable: true, description: 'When its transcript and recording were deleted under the retention period.' })
  transcriptPurgedAt!: Date | null;
  /** Not exposed: resolved by their fields. */
  contactId!: string | null;
  campaignId!: string | null;
  queueId!: string | null;
  agentId!: string | null;
  dispositionId!: string | null;
}

export const InteractionConnection = Connection(InteractionType, 'Interaction');

@ObjectType('Message')
export class MessageType {
  @Field(() => ID, { description: 'Time-ordered: also the cursor to resume from after a reconnect.' }) id!: string;
  @Field(() => MessageSender) sender!: MessageSender;
  @Field(() => ID, { nullable: true, description: 'The agent who wrote it.' }) authorId!: string | null;
  @Field(() => String) body!: string;
  @Field(() => DeliveryState) deliveryState!: DeliveryState;
  @Field(() => String, { nullable: true, description: "With FAILED: the channel provider's reason (e.g. Twilio's error code and message)." }) deliveryError!: string | null;
  @Field(() => Date) createdAt!: Date;
}

export const MessageConnection = Connection(MessageType, 'Message');

@ObjectType('InteractionEvent')
export class InteractionEventType {
  @Field(() => InteractionEventKind) kind!: InteractionEventKind;
  @Field(() => InteractionType) interaction!: InteractionType;
  @Field(() => MessageType, { nullable: true }) message!: MessageType | null;
  @Field(() => Date) at!: Date;
}

@InputType('InteractionFilter')
export class InteractionFilter {
  @Field(() => ID, { nullable: true }) contactId?: string;
  @Field(() => Channel, { nullable: true }) @IsOptional() channel?: Channel;
  @Field(() => InteractionState, { nullable: true }) @IsOptional() state?: InteractionState;
  @Field(() => ID, { nullable: true }) agentId?: string;
  @Field(() => ID, { nullable: true }) campaignId?: string;
  @Field(() => ID, { nullable: true }) queueId?: string;
  @Field(() => Date, { nullable: true, description: 'Created at or after.' }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'Created before.' }) to?: Date;
}
