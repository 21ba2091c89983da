import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';

export enum TicketKind {
  INCIDENT = 'INCIDENT',
  CHANGE_REQUEST = 'CHANGE_REQUEST',
  QUESTION = 'QUESTION',
}

export enum ChangeRequestUrgency {
  URGENT = 'URGENT',
  STANDARD = 'STANDARD',
  COMPLEX = 'COMPLEX',
}

export enum TicketStatus {
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  WAITING_ON_CUSTOMER = 'WAITING_ON_CUSTOMER',
  CLOSED = 'CLOSED',
}

/** Why a case closed (Issabel 7). */
export enum ClosureReason {
  SOLUTION_PROVIDED = 'SOLUTION_PROVIDED',
  BUG_ESCALATED_TO_DEVELOPMENT = 'BUG_ESCALATED_TO_DEVELOPMENT',
  CAUSE_OUTSIDE_PLATFORM = 'CAUSE_OUTSIDE_PLATFORM',
  CUSTOMER_CONFIRMED = 'CUSTOMER_CONFIRMED',
  CUSTOMER_ARCHIVED = 'CUSTOMER_ARCHIVED',
}

export enum Recurrence {
  ONE_OFF = 'ONE_OFF',
  RECURRING = 'RECURRING',
}

export interface IncidentOccurrence {
  at: string;
  extension: string;
  device: string;
}

/** The facts an incident must carry (Ubity 5.1.3). */
export interface IncidentFacts {
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  registeredNumber: string;
  affectedServices: string[];
  symptoms: string;
  extensions: string[];
  macAddresses: string[];
  occurrences: IncidentOccurrence[];
  recurrence: Recurrence;
  recentChanges: string;
}

export interface Attachment {
  name: string;
  url: string;
}

export const Ticket = defineEntity({
  name: 'Ticket',
  tableName: 'ticket',
  // the ticket list by status, in id (keyset) order
  indexes: [{ properties: ['tenant', 'status', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant).index(),
    /** Human tracking number, e.g. SB-2026-000123. */
    number: p.string().length(20).unique(),
    kind: p.enum(() => TicketKind),
    title: p.string().length(200),
    description: p.text(),
    /** Severity code of the active support policy (incidents only). */
    severity: p.string().length(20).nullable(),
    urgency: p.enum(() => ChangeRequestUrgency).nullable(),
    status: p.enum(() => TicketStatus).default(TicketStatus.OPEN),
    incidentFacts: p.json<IncidentFacts>().nullable(),
    attachments: p.json<Attachment[]>().default([] as never),
    /** The tenant user who filed it; null when the platform operator filed it for the tenant. */
    filedByUserId: p.uuid().nullable(),
    policyKey: p.string().length(40),
    filedAt: p.datetime(),
    filedOutsideHours: p.boolean().default(false),
    clockStartedAt: p.datetime().nullable(),
    responseDueAt: p.datetime().nullable(),
    resolutionDueAt: p.datetime().nullable(),
    respondedAt: p.datetime().nullable(),
    responseBreachedAt: p.datetime().nullable(),
    resolutionBreachedAt: p.datetime().nullable(),
    /** Set while waiting for the customer: the clocks stand still. */
    pausedAt: p.datetime().nullable(),
    pausedMinutes: p.integer().default(0),
    pausedBusinessMinutes: p.integer().default(0),
    escalationLevel: p.integer().default(0),
    escalationAcknowledgedAt: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
    closureReason: p.enum(() => ClosureReason).nullable(),
    closureNote: p.text().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Ticket = InferEntity<typeof Ticket>;

export enum CommentAuthor {
  CUSTOMER = 'CUSTOMER',
  OPERATOR = 'OPERATOR',
}

export const TicketComment = defineEntity({
  name: 'TicketComment',
  tableName: 'ticket_comment',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    ticket: () => p.manyToOne(Ticket).index(),
    author: p.enum(() => CommentAuthor),
    authorUserId: p.uuid().nullable(),
    body: p.text(),
    attachments: p.json<Attachment[]>().default([] as never),
    createdAt: p.datetime(),
  },
});
export type TicketComment = InferEntity<typeof TicketComment>;

export enum TimerKind {
  RESPONSE_WARNING = 'RESPONSE_WARNING',
  RESPONSE_BREACH = 'RESPONSE_BREACH',
  RESOLUTION_WARNING = 'RESOLUTION_WARNING',
  RESOLUTION_BREACH = 'RESOLUTION_BREACH',
  ESCALATION = 'ESCALATION',
}

/** A due time of a ticket; the support sweep handles every unfired timer due by clock.now(). */
export const TicketTimer = defineEntity({
  name: 'TicketTimer',
  tableName: 'ticket_timer',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    ticket: () => p.manyToOne(Ticket).index(),
    kind: p.enum(() => TimerKind),
    /** Escalation step (1-based) for ESCALATION timers. */
    level: p.integer().nullable(),
    dueAt: p.datetime().index(),
    firedAt: p.datetime().nullable(),
  },
});
export type TicketTimer = InferEntity<typeof TicketTimer>;

/** One notified step of an escalation chain. */
export const TicketEscalation = defineEntity({
  name: 'TicketEscalation',
  tableName: 'ticket_escalation',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    ticket: () => p.manyToOne(Ticket).index(),
    level: p.integer(),
    title: p.string().length(120),
    email: p.string().length(254),
    notifiedAt: p.datetime(),
  },
});
export type TicketEscalation = InferEntity<typeof TicketEscalation>;

/** Last tracking number handed out per year (platform-wide). */
export const TicketCounter = defineEntity({
  name: 'TicketCounter',
  tableName: 'ticket_counter',
  properties: {
    year: p.integer().primary().autoincrement(false),
    last: p.integer(),
  },
});
export type TicketCounter = InferEntity<typeof TicketCounter>;
