import { Field, ID, InputType, Int } from 'type-graphql';
import { IsOptional, Length, Max, Min } from 'class-validator';
import { RoutingStrategy } from './queue.entity.js';

/** Longest wait with music on hold: the caller waits in early media, which many carriers end after about 180 s. */
export const MAX_CALL_WAIT_SECONDS = 170;

@InputType('QueueInput', { description: 'A queue, whole: every field is set as given.' })
export class QueueInput {
  @Field(() => String) @Length(1, 120) name!: string;
  @Field(() => RoutingStrategy, { defaultValue: RoutingStrategy.LONGEST_IDLE }) strategy: RoutingStrategy = RoutingStrategy.LONGEST_IDLE;
  @Field(() => Int, { defaultValue: 30 }) @Min(0) @Max(3600) wrapUpSeconds: number = 30;
  @Field(() => Int, { defaultValue: 20 }) @Min(1) @Max(3600) serviceLevelSeconds: number = 20;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(5) @Max(86400) maxWaitSeconds?: number;
  @Field(() => ID, { nullable: true, description: 'Where interactions go after maxWaitSeconds.' }) overflowQueueId?: string;
  @Field(() => Int, { nullable: true, description: `Calls: seconds a caller with no free agent waits with music on hold (5-${MAX_CALL_WAIT_SECONDS}: the wait is early media, which carriers end near 180 s); then the campaign's noAgentAction. Null: never held.` })
  @IsOptional() @Min(5) @Max(MAX_CALL_WAIT_SECONDS) callWaitSeconds?: number;
  @Field(() => Boolean, { defaultValue: true, description: 'Calls: an agent who declines or misses an offered call is PAUSED ("Missed call").' })
  missedCallPause: boolean = true;
}
