import { Field, InputType, Int } from 'type-graphql';
import { ChangeRequestUrgency, ClosureReason, Recurrence, TicketKind } from './ticket.entity.js';

@InputType('AttachmentInput')
export class AttachmentInput {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'http(s) URL of the file.' }) url!: string;
}

@InputType('IncidentOccurrenceInput')
export class IncidentOccurrenceInput {
  @Field(() => Date) at!: Date;
  @Field(() => String) extension!: string;
  @Field(() => String) device!: string;
}

@InputType('IncidentFactsInput', { description: 'Every field is required for an incident; missing ones are listed in one BAD_USER_INPUT error.' })
export class IncidentFactsInput {
  @Field(() => String, { nullable: true }) contactName?: string;
  @Field(() => String, { nullable: true }) contactEmail?: string;
  @Field(() => String, { nullable: true }) contactPhone?: string;
  @Field(() => String, { nullable: true, description: 'A phone number registered to the account, E.164 (+15145550100).' }) registeredNumber?: string;
  @Field(() => [String], { nullable: true }) affectedServices?: string[];
  @Field(() => String, { nullable: true }) symptoms?: string;
  @Field(() => [String], { nullable: true }) extensions?: string[];
  @Field(() => [String], { nullable: true, description: 'MAC addresses of the affected phones (aa:bb:cc:dd:ee:ff).' }) macAddresses?: string[];
  @Field(() => [IncidentOccurrenceInput], { nullable: true }) occurrences?: IncidentOccurrenceInput[];
  @Field(() => Recurrence, { nullable: true }) recurrence?: Recurrence;
  @Field(() => String, { nullable: true, description: 'What changed just before (or "nothing").' }) recentChanges?: string;
}

@InputType('FileTicketInput')
export class FileTicketInput {
  @Field(() => TicketKind) kind!: TicketKind;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { nullable: true, description: "Incidents: a severity code of the active support policy (e.g. S1)." }) severity?: string;
  @Field(() => ChangeRequestUrgency, { nullable: true, description: 'Change requests only.' }) urgency?: ChangeRequestUrgency;
  @Field(() => IncidentFactsInput, { nullable: true }) incidentFacts?: IncidentFactsInput;
  @Field(() => [AttachmentInput], { nullable: true }) attachments?: AttachmentInput[];
}

@InputType('TicketCommentInput')
export class TicketCommentInput {
  @Field(() => String) body!: string;
  @Field(() => [AttachmentInput], { nullable: true }) attachments?: AttachmentInput[];
}

@InputType('AnswerTicketInput')
export class AnswerTicketInput {
  @Field(() => String) body!: string;
  @Field(() => [AttachmentInput], { nullable: true }) attachments?: AttachmentInput[];
  @Field(() => Boolean, { defaultValue: false, description: 'Waiting for the customer: the clocks pause until the customer answers.' })
  waitForCustomer: boolean = false;
}

@InputType('CloseTicketInput')
export class CloseTicketInput {
  @Field(() => ClosureReason) reason!: ClosureReason;
  @Field(() => String, { nullable: true }) note?: string;
}

@InputType('EscalationStepInput')
export class EscalationStepInput {
  @Field(() => String) title!: string;
  @Field(() => String) email!: string;
  @Field(() => Int) afterMinutes!: number;
}

@InputType('UpdateSupportPolicyInput', { description: 'What the operator may adjust on a policy; omitted fields stay.' })
export class UpdateSupportPolicyInput {
  @Field(() => [EscalationStepInput], { nullable: true }) escalation?: EscalationStepInput[];
  @Field(() => [String], { nullable: true, description: 'Closed local dates (YYYY-MM-DD) of the business calendar.' }) holidays?: string[];
  @Field(() => Int, { nullable: true }) warningMinutes?: number;
  @Field(() => Int, { nullable: true, description: 'Days of notice for maintenance outside the weekly windows.' }) maintenanceNoticeDays?: number;
  @Field(() => Boolean, { nullable: true, description: 'Make this the platform policy (the others become inactive).' }) active?: boolean;
}
