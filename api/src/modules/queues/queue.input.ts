import { Field, ID, InputType, Int } from 'type-graphql';
import { IsOptional, Length, Max, Min } from 'class-validator';
import { RoutingStrategy } from './queue.entity.js';

@InputType('QueueInput', { description: 'A queue, whole: every field is set as given.' })
export class QueueInput {
  @Field(() => String) @Length(1, 120) name!: string;
  @Field(() => RoutingStrategy, { defaultValue: RoutingStrategy.LONGEST_IDLE }) strategy: RoutingStrategy = RoutingStrategy.LONGEST_IDLE;
  @Field(() => Int, { defaultValue: 30 }) @Min(0) @Max(3600) wrapUpSeconds: number = 30;
  @Field(() => Int, { defaultValue: 20 }) @Min(1) @Max(3600) serviceLevelSeconds: number = 20;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(5) @Max(86400) maxWaitSeconds?: number;
  @Field(() => ID, { nullable: true, description: 'Where interactions go after maxWaitSeconds.' }) overflowQueueId?: string;
}
