import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../platform/connection.js';
import { RoutingStrategy } from './queue.entity.js';

registerEnumType(RoutingStrategy, {
  name: 'RoutingStrategy',
  description: 'LONGEST_IDLE: the agent idle longest; ROUND_ROBIN: agents in turn.',
});

@ObjectType('Queue', { description: 'Where interactions wait for an agent.' })
export class QueueType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => RoutingStrategy) strategy!: RoutingStrategy;
  @Field(() => Int, { description: 'Seconds an agent keeps after each interaction.' }) wrapUpSeconds!: number;
  @Field(() => Int, { description: 'Answered within this many seconds counts as within service level.' }) serviceLevelSeconds!: number;
  @Field(() => Int, { nullable: true, description: 'Seconds before an interaction overflows; null waits forever.' })
  maxWaitSeconds!: number | null;
  @Field(() => Int, { nullable: true, description: 'Calls: seconds a caller with no free agent waits with music on hold, then the campaign\'s noAgentAction; null: never held.' })
  callWaitSeconds!: number | null;
  @Field(() => Boolean, { description: 'Calls: an agent who declines or misses an offered call is PAUSED ("Missed call").' })
  missedCallPause!: boolean;
  @Field(() => Date) createdAt!: Date;
  /** Not exposed: resolved by the overflowQueue field. */
  overflowQueueId!: string | null;
}

export const QueueConnection = Connection(QueueType, 'Queue');
