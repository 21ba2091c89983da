import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { IsEmail, IsOptional, Length, MaxLength } from 'class-validator';
import { InteractionState, MessageSender } from '../interactions/interaction.entity.js';
import { OutOfHoursAction } from '../campaigns/campaign.entity.js';

@ObjectType('WidgetKey', { description: 'The public key of a website chat widget, for one campaign and some origins.' })
export class WidgetKeyType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Public: goes in the page, <sb-webchat widget-key="...">.' }) key!: string;
  @Field(() => [String]) allowedOrigins!: string[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

export enum ChatStart {
  QUEUED = 'QUEUED',
  LEFT_MESSAGE = 'LEFT_MESSAGE',
  CLOSED = 'CLOSED',
}
registerEnumType(ChatStart, {
  name: 'ChatStart',
  description: 'QUEUED: an agent will answer; LEFT_MESSAGE: out of hours, answered when we open; CLOSED: out of hours, nothing kept.',
});

export enum VisitorEventKind {
  MESSAGE = 'MESSAGE',
  TYPING = 'TYPING',
  STATE = 'STATE',
}
registerEnumType(VisitorEventKind, { name: 'VisitorEventKind' });

@ObjectType('VisitorMessage')
export class VisitorMessageType {
  @Field(() => ID, { description: 'Time-ordered; pass the last one seen to resume after a reconnect.' }) id!: string;
  @Field(() => MessageSender) sender!: MessageSender;
  @Field(() => String, { nullable: true, description: "The agent's name on agent messages." }) agentName!: string | null;
  @Field(() => String, { description: 'Plain text: render it as text, never as HTML.' }) body!: string;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('VisitorConversation', { description: "What a visitor sees of its chat (no internal ids)." })
export class VisitorConversationType {
  @Field(() => InteractionState, { nullable: true }) state!: InteractionState | null;
  @Field(() => String, { nullable: true, description: 'The agent who answered.' }) agentName!: string | null;
  @Field(() => [VisitorMessageType]) messages!: VisitorMessageType[];
}

@ObjectType('VisitorChat')
export class VisitorChatType {
  @Field(() => String, { description: 'Keep it (the widget stores it) to continue after a reload. Shown only here.' }) token!: string;
  @Field(() => ChatStart) outcome!: ChatStart;
  @Field(() => String, { nullable: true }) closedMessage!: string | null;
  @Field(() => VisitorConversationType) conversation!: VisitorConversationType;
}

@ObjectType('VisitorEvent')
export class VisitorEventType {
  @Field(() => VisitorEventKind) kind!: VisitorEventKind;
  @Field(() => VisitorMessageType, { nullable: true }) message!: VisitorMessageType | null;
  @Field(() => Boolean, { nullable: true, description: 'With TYPING: the agent started (true) or stopped.' }) agentTyping!: boolean | null;
  @Field(() => InteractionState, { nullable: true }) state!: InteractionState | null;
  @Field(() => String, { nullable: true }) agentName!: string | null;
}

@InputType('StartChatInput')
export class StartChatInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 200) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @Field(() => String) @Length(1, 2000) message!: string;
}

@ObjectType('ChatWidget', { description: 'What a chat widget shows before a chat starts.' })
export class ChatWidgetType {
  @Field(() => Boolean, { description: 'Open now by the campaign\'s hours and holidays.' }) open!: boolean;
  @Field(() => OutOfHoursAction, { description: 'When closed: MESSAGE (show outOfHoursMessage), LEAVE_MESSAGE (a form answered at the next opening) or QUEUE.' })
  outOfHoursAction!: OutOfHoursAction;
  @Field(() => String, { nullable: true }) outOfHoursMessage!: string | null;
  @Field(() => String, { nullable: true }) welcomeMessage!: string | null;
}
