import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ComponentStatus, IncidentCause, IncidentImpact, IncidentPhase } from './status.entity.js';

registerEnumType(ComponentStatus, { name: 'ComponentStatus', description: 'OPERATIONAL (green), PARTIAL_OUTAGE (orange), MAJOR_OUTAGE (red).' });
registerEnumType(IncidentImpact, { name: 'IncidentImpact' });
registerEnumType(IncidentPhase, { name: 'IncidentPhase', description: 'INVESTIGATING -> IDENTIFIED -> MONITORING -> RESOLVED (MONITORING may go back to IDENTIFIED).' });
registerEnumType(IncidentCause, { name: 'IncidentCause', description: 'Only PLATFORM incidents count against the availability SLA.' });

@ObjectType('StatusServer')
export class StatusServerType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => ComponentStatus) status!: ComponentStatus;
}

@ObjectType('StatusComponent')
export class StatusComponentType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Int) position!: number;
  @Field(() => ComponentStatus) status!: ComponentStatus;
  @Field(() => [StatusServerType]) servers!: StatusServerType[];
}

@ObjectType('StatusIncidentUpdate')
export class StatusIncidentUpdateType {
  @Field(() => IncidentPhase) phase!: IncidentPhase;
  @Field(() => String) message!: string;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('PostMortem', { description: 'Description and impact, affected components, start and end as measured by monitoring, time of resolution, resolution and corrective actions.' })
export class PostMortemType {
  @Field(() => String) description!: string;
  @Field(() => String) impact!: string;
  @Field(() => [String]) affectedComponents!: string[];
  @Field(() => Date) monitoredStartAt!: Date;
  @Field(() => Date) monitoredEndAt!: Date;
  @Field(() => Date) resolvedAt!: Date;
  @Field(() => String) resolution!: string;
  @Field(() => String) correctiveActions!: string;
}

@ObjectType('StatusIncident')
export class StatusIncidentType {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => IncidentImpact) impact!: IncidentImpact;
  @Field(() => IncidentPhase) phase!: IncidentPhase;
  @Field(() => IncidentCause) cause!: IncidentCause;
  @Field(() => [String], { description: 'Names of the affected components.' }) components!: string[];
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'MONITORING must be re-evaluated by then (4 h).' }) monitoringReviewDueAt!: Date | null;
  @Field(() => Date, { nullable: true, description: '72 h after resolution.' }) postMortemDueAt!: Date | null;
  @Field(() => PostMortemType, { nullable: true }) postMortem!: PostMortemType | null;
  @Field(() => [StatusIncidentUpdateType], { description: 'Newest first.' }) updates!: StatusIncidentUpdateType[];
}

@ObjectType('MaintenanceWindow')
export class MaintenanceWindowType {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => [String]) components!: string[];
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
  @Field(() => Boolean, { description: 'Inside the weekly maintenance windows (otherwise announced with notice).' }) inWindow!: boolean;
  @Field(() => Date) noticeGivenAt!: Date;
  @Field(() => Date, { nullable: true }) cancelledAt!: Date | null;
}

@ObjectType('StatusPage', { description: 'The public status page: components, incidents (open and of the last 90 days) and maintenance.' })
export class StatusPageType {
  @Field(() => ComponentStatus, { description: 'The worst component status.' }) overall!: ComponentStatus;
  @Field(() => [StatusComponentType]) components!: StatusComponentType[];
  @Field(() => [StatusIncidentType]) activeIncidents!: StatusIncidentType[];
  @Field(() => [StatusIncidentType]) recentIncidents!: StatusIncidentType[];
  @Field(() => [MaintenanceWindowType], { description: 'Ongoing and upcoming, then the last 90 days.' }) maintenance!: MaintenanceWindowType[];
  @Field(() => Date) generatedAt!: Date;
}

@ObjectType('ComponentAvailability')
export class ComponentAvailabilityType {
  @Field(() => ID) componentId!: string;
  @Field(() => String) name!: string;
  @Field(() => Float, { description: 'Minutes of counted downtime in the month.' }) downtimeMinutes!: number;
  @Field(() => Float, { description: 'Percent, 3 decimals.' }) availability!: number;
  @Field(() => Boolean) metTarget!: boolean;
}

@ObjectType('AvailabilityReport', { description: 'Monthly availability (UTC month) against the 99.9 % target.' })
export class AvailabilityReportType {
  @Field(() => String) month!: string;
  @Field(() => Float) targetPercent!: number;
  @Field(() => [ComponentAvailabilityType]) components!: ComponentAvailabilityType[];
  @Field(() => Boolean) targetMissed!: boolean;
}

@ObjectType('AvailabilityCredit', { description: "Whether a tenant is owed a credit on the month's recurring fee." })
export class AvailabilityCreditType {
  @Field(() => ID) tenantId!: string;
  @Field(() => String) month!: string;
  @Field(() => Boolean) targetMissed!: boolean;
  @Field(() => Boolean, { description: 'Contract of 12 months or more.' }) contractQualifies!: boolean;
  @Field(() => Boolean, { description: 'No overdue balance (licence not in GRACE or SUSPENDED).' }) balanceInGoodStanding!: boolean;
  @Field(() => Boolean) eligible!: boolean;
  @Field(() => Boolean, { description: 'Target missed and eligible.' }) creditDue!: boolean;
  @Field(() => [String], { description: 'Components below the target.' }) componentsBelowTarget!: string[];
  @Field(() => String, { nullable: true, description: 'Why no credit is due, when none is.' }) reason!: string | null;
}

@ObjectType('StatusSubscription')
export class StatusSubscriptionType {
  @Field(() => String) email!: string;
  @Field(() => Boolean) confirmed!: boolean;
}
