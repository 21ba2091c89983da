import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { Connection, PageArgs } from '../../platform/connection.js';
import { AgentStatus } from './agent-state.entity.js';

registerEnumType(AgentStatus, {
  name: 'AgentStatus',
  description: 'OFFLINE, AVAILABLE, PAUSED (with a reason) are chosen by the agent; BUSY and WRAP_UP are set by routing.',
});

@ObjectType('AgentState', { description: "An agent's routing state. Agents without a signed-in session are OFFLINE." })
export class AgentStateType {
  @Field(() => ID, { description: 'The agent (user) id.' }) userId!: string;
  @Field(() => AgentStatus) status!: AgentStatus;
  @Field(() => String, { nullable: true }) pauseReason!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the status last changed; null if it never did.' }) since!: Date | null;
  @Field(() => Int, { description: 'Written interactions at once (voice is always one).' }) writtenCapacity!: number;
  @Field(() => Boolean, { description: 'The agent has a live SIP registration (softphone or desk phone): calls can reach it.' }) sipRegistered!: boolean;
}

export const AgentStateConnection = Connection(AgentStateType, 'AgentState');

@ArgsType()
export class AgentStatesArgs extends PageArgs {
  @Field(() => AgentStatus, { nullable: true }) @IsOptional() status?: AgentStatus;
}
