import { Field, ID, InputType, Int } from 'type-graphql';
import { IncidentCause, IncidentImpact, IncidentPhase } from './status.entity.js';

@InputType('StatusComponentInput')
export class StatusComponentInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => Int, { defaultValue: 0 }) position: number = 0;
}

@InputType('OpenStatusIncidentInput')
export class OpenStatusIncidentInput {
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'The first update (INVESTIGATING).' }) message!: string;
  @Field(() => IncidentImpact) impact!: IncidentImpact;
  @Field(() => IncidentCause, { defaultValue: IncidentCause.PLATFORM }) cause: IncidentCause = IncidentCause.PLATFORM;
  @Field(() => [ID]) componentIds!: string[];
  @Field(() => [ID], { nullable: true, description: 'Affected servers; their components are affected too.' }) serverIds?: string[];
  @Field(() => Date, { nullable: true, description: 'When monitoring saw it start; now by default.' }) startedAt?: Date;
}

@InputType('StatusIncidentUpdateInput')
export class StatusIncidentUpdateInput {
  @Field(() => IncidentPhase) phase!: IncidentPhase;
  @Field(() => String) message!: string;
  @Field(() => IncidentImpact, { nullable: true }) impact?: IncidentImpact;
  @Field(() => IncidentCause, { nullable: true }) cause?: IncidentCause;
  @Field(() => Date, { nullable: true, description: 'For RESOLVED: when monitoring saw it end; now by default.' }) resolvedAt?: Date;
}

@InputType('PostMortemInput')
export class PostMortemInput {
  @Field(() => String) description!: string;
  @Field(() => String) impact!: string;
  @Field(() => Date) monitoredStartAt!: Date;
  @Field(() => Date) monitoredEndAt!: Date;
  @Field(() => String) resolution!: string;
  @Field(() => String) correctiveActions!: string;
}

@InputType('ScheduleMaintenanceInput')
export class ScheduleMaintenanceInput {
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => [ID]) componentIds!: string[];
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
}
