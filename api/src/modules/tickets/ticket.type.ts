import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../platform/connection.js';
import { ChangeRequestUrgency, ClosureReason, CommentAuthor, Recurrence, TicketKind, TicketStatus } from './ticket.entity.js';
import { TicketEventKind } from './ticket.events.js';

registerEnumType(TicketKind, { name: 'TicketKind', description: 'INCIDENT (outage, fault), CHANGE_REQUEST (administrators only) or QUESTION.' });
registerEnumType(ChangeRequestUrgency, {
  name: 'ChangeRequestUrgency',
  description: 'URGENT (< 30 min of work, affects communications, 8 h, fees vary), STANDARD (< 30 min, 5 business days, free), COMPLEX (> 30 min, 5 business days to analyse, then a quote).',
});
registerEnumType(TicketStatus, { name: 'TicketStatus' });
registerEnumType(ClosureReason, { name: 'ClosureReason', description: 'Why a case closed (a solution, a bug sent to development, a cause outside the platform, the customer confirmed or archived it).' });
registerEnumType(Recurrence, { name: 'Recurrence' });
registerEnumType(CommentAuthor, { name: 'CommentAuthor' });
registerEnumType(TicketEventKind, { name: 'TicketEventKind' });

@ObjectType('SlaTarget', { description: 'A target: an amount of MINUTES (wall clock), BUSINESS_MINUTES or BUSINESS_DAYS.' })
export class SlaTargetType {
  @Field(() => Int) amount!: number;
  @Field(() => String) unit!: string;
}

@ObjectType('SupportSeverity', { description: 'One incident severity of a support policy and its targets.' })
export class SupportSeverityType {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => String) definition!: string;
  @Field(() => Boolean, { description: 'Its clock starts at once outside business hours.' }) takenOutsideHours!: boolean;
  @Field(() => Boolean, { description: 'Follows the critical calendar and the 24/7 add-on.' }) critical!: boolean;
  @Field(() => SlaTargetType, { nullable: true }) response!: SlaTargetType | null;
  @Field(() => SlaTargetType, { nullable: true }) responseOutsideHours!: SlaTargetType | null;
  @Field(() => SlaTargetType, { nullable: true }) resolution!: SlaTargetType | null;
}

@ObjectType('WeeklyHours')
export class WeeklyHoursType {
  @Field(() => Int, { description: 'ISO weekday, 1 = Monday.' }) day!: number;
  @Field(() => String) open!: string;
  @Field(() => String) close!: string;
}

@ObjectType('BusinessCalendar')
export class BusinessCalendarType {
  @Field(() => String) timeZone!: string;
  @Field(() => [WeeklyHoursType]) weekly!: WeeklyHoursType[];
  @Field(() => [String], { description: 'Closed local dates (YYYY-MM-DD).' }) holidays!: string[];
}

@ObjectType('EscalationStep')
export class EscalationStepType {
  @Field(() => String) title!: string;
  @Field(() => String) email!: string;
  @Field(() => Int, { description: 'Minutes after the previous step (the first: after the breach).' }) afterMinutes!: number;
}

@ObjectType('SupportPolicy', { description: 'Support rules as data; UBITY, ISSABEL and UCONTACT are presets. One is active.' })
export class SupportPolicyType {
  @Field(() => ID) key!: string;
  @Field(() => String) name!: string;
  @Field(() => Boolean) active!: boolean;
  @Field(() => BusinessCalendarType) businessCalendar!: BusinessCalendarType;
  @Field(() => BusinessCalendarType, { nullable: true }) criticalCalendar!: BusinessCalendarType | null;
  @Field(() => [SupportSeverityType]) severities!: SupportSeverityType[];
  @Field(() => [EscalationStepType], { description: 'The escalation chain; empty for tenant callers (internal addresses).' }) escalation!: EscalationStepType[];
  @Field(() => Int) warningMinutes!: number;
  @Field(() => BusinessCalendarType, { description: 'Weekly maintenance windows (holidays unused).' }) maintenanceWindows!: BusinessCalendarType;
  @Field(() => Int, { description: "Days of notice for maintenance outside the windows." }) maintenanceNoticeDays!: number;
}

@ObjectType('Attachment', { description: 'A file referenced by URL (not stored by the platform).' })
export class AttachmentType {
  @Field(() => String) name!: string;
  @Field(() => String) url!: string;
}

@ObjectType('IncidentOccurrence')
export class IncidentOccurrenceType {
  @Field(() => Date) at!: Date;
  @Field(() => String) extension!: string;
  @Field(() => String) device!: string;
}

@ObjectType('IncidentFacts', { description: 'What an incident must carry (Ubity 5.1.3).' })
export class IncidentFactsType {
  @Field(() => String) contactName!: string;
  @Field(() => String) contactEmail!: string;
  @Field(() => String) contactPhone!: string;
  @Field(() => String) registeredNumber!: string;
  @Field(() => [String]) affectedServices!: string[];
  @Field(() => String) symptoms!: string;
  @Field(() => [String]) extensions!: string[];
  @Field(() => [String]) macAddresses!: string[];
  @Field(() => [IncidentOccurrenceType]) occurrences!: IncidentOccurrenceType[];
  @Field(() => Recurrence) recurrence!: Recurrence;
  @Field(() => String) recentChanges!: string;
}

@ObjectType('TicketComment')
export class TicketCommentType {
  @Field(() => ID) id!: string;
  @Field(() => CommentAuthor) author!: CommentAuthor;
  @Field(() => String) body!: string;
  @Field(() => [AttachmentType]) attachments!: AttachmentType[];
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('TicketEscalation', { description: 'One notified step of the escalation chain.' })
export class TicketEscalationType {
  @Field(() => Int) level!: number;
  @Field(() => String) title!: string;
  @Field(() => Date) notifiedAt!: Date;
}

@ObjectType('Ticket', { description: 'A support ticket with its SLA clocks.' })
export class TicketType {
  @Field(() => ID) id!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => String, { description: 'Tracking number, e.g. SB-2026-000123.' }) number!: string;
  @Field(() => TicketKind) kind!: TicketKind;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { nullable: true, description: 'Severity code of the support policy (incidents).' }) severity!: string | null;
  @Field(() => ChangeRequestUrgency, { nullable: true }) urgency!: ChangeRequestUrgency | null;
  @Field(() => TicketStatus) status!: TicketStatus;
  @Field(() => IncidentFactsType, { nullable: true }) incidentFacts!: IncidentFactsType | null;
  @Field(() => [AttachmentType]) attachments!: AttachmentType[];
  @Field(() => String) policyKey!: string;
  @Field(() => Date) filedAt!: Date;
  @Field(() => Boolean) filedOutsideHours!: boolean;
  @Field(() => Date, { nullable: true, description: 'When the SLA clocks started (the next opening for tickets not taken outside hours).' })
  clockStartedAt!: Date | null;
  @Field(() => Date, { nullable: true }) responseDueAt!: Date | null;
  @Field(() => Date, { nullable: true }) resolutionDueAt!: Date | null;
  @Field(() => Date, { nullable: true }) respondedAt!: Date | null;
  @Field(() => Date, { nullable: true }) responseBreachedAt!: Date | null;
  @Field(() => Date, { nullable: true }) resolutionBreachedAt!: Date | null;
  @Field(() => Boolean, { description: 'The clocks stand still while waiting for the customer.' }) paused!: boolean;
  @Field(() => Int, { description: 'Highest escalation step notified (0: none).' }) escalationLevel!: number;
  @Field(() => Date, { nullable: true }) escalationAcknowledgedAt!: Date | null;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
  @Field(() => ClosureReason, { nullable: true }) closureReason!: ClosureReason | null;
  @Field(() => String, { nullable: true }) closureNote!: string | null;
}

export const TicketConnection = Connection(TicketType, 'Ticket');

@ObjectType('TicketEvent', { description: 'Something happened to a ticket (operator feed).' })
export class TicketEventType {
  @Field(() => TicketEventKind) kind!: TicketEventKind;
  @Field(() => TicketType) ticket!: TicketType;
  @Field(() => Int, { nullable: true, description: 'Escalation step, for ESCALATED.' }) level!: number | null;
}
