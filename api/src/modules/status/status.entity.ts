import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';

/** Platform-wide (not tenant-owned): the status page belongs to the platform operator. */

export enum ComponentStatus {
  OPERATIONAL = 'OPERATIONAL',
  PARTIAL_OUTAGE = 'PARTIAL_OUTAGE',
  MAJOR_OUTAGE = 'MAJOR_OUTAGE',
}

export enum IncidentImpact {
  PARTIAL_OUTAGE = 'PARTIAL_OUTAGE',
  MAJOR_OUTAGE = 'MAJOR_OUTAGE',
}

export enum IncidentPhase {
  INVESTIGATING = 'INVESTIGATING',
  IDENTIFIED = 'IDENTIFIED',
  MONITORING = 'MONITORING',
  RESOLVED = 'RESOLVED',
}

/** Where the cause lay; everything but PLATFORM is excluded from the availability SLA. */
export enum IncidentCause {
  PLATFORM = 'PLATFORM',
  CUSTOMER_NETWORK = 'CUSTOMER_NETWORK',
  THIRD_PARTY_NETWORK = 'THIRD_PARTY_NETWORK',
  FORCE_MAJEURE = 'FORCE_MAJEURE',
}

export const StatusComponent = defineEntity({
  name: 'StatusComponent',
  tableName: 'status_component',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    name: p.string().length(120).unique(),
    description: p.string().length(500).nullable(),
    position: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type StatusComponent = InferEntity<typeof StatusComponent>;

export const StatusServer = defineEntity({
  name: 'StatusServer',
  tableName: 'status_server',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    component: () => p.manyToOne(StatusComponent).index(),
    name: p.string().length(120),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type StatusServer = InferEntity<typeof StatusServer>;

/** The post-mortem's required sections (Ubity 6.1). */
export interface PostMortem {
  description: string;
  impact: string;
  affectedComponents: string[];
  monitoredStartAt: string;
  monitoredEndAt: string;
  resolvedAt: string;
  resolution: string;
  correctiveActions: string;
}

export const StatusIncident = defineEntity({
  name: 'StatusIncident',
  tableName: 'status_incident',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    title: p.string().length(200),
    impact: p.enum(() => IncidentImpact),
    phase: p.enum(() => IncidentPhase),
    cause: p.enum(() => IncidentCause).default(IncidentCause.PLATFORM),
    componentIds: p.json<string[]>(),
    serverIds: p.json<string[]>(),
    startedAt: p.datetime(),
    resolvedAt: p.datetime().nullable(),
    /** MONITORING must be re-evaluated by this time (4 h); the sweep reminds the operator once. */
    monitoringReviewDueAt: p.datetime().nullable(),
    monitoringReminderSentAt: p.datetime().nullable(),
    /** 72 h after resolution. */
    postMortemDueAt: p.datetime().nullable(),
    postMortemReminderSentAt: p.datetime().nullable(),
    postMortem: p.json<PostMortem>().nullable(),
    postMortemPublishedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});
export type StatusIncident = InferEntity<typeof StatusIncident>;

export const StatusIncidentUpdate = defineEntity({
  name: 'StatusIncidentUpdate',
  tableName: 'status_incident_update',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    incident: () => p.manyToOne(StatusIncident).index(),
    phase: p.enum(() => IncidentPhase),
    message: p.text(),
    createdAt: p.datetime(),
  },
});
export type StatusIncidentUpdate = InferEntity<typeof StatusIncidentUpdate>;

export const MaintenanceWindow = defineEntity({
  name: 'MaintenanceWindow',
  tableName: 'maintenance_window',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    title: p.string().length(200),
    description: p.text(),
    componentIds: p.json<string[]>(),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    /** Entirely inside the weekly maintenance windows; otherwise announced with the required notice. */
    inWindow: p.boolean(),
    noticeGivenAt: p.datetime(),
    cancelledAt: p.datetime().nullable(),
  },
});
export type MaintenanceWindow = InferEntity<typeof MaintenanceWindow>;

/** Someone who receives status-page notices by e-mail once the address is confirmed. */
export const StatusSubscriber = defineEntity({
  name: 'StatusSubscriber',
  tableName: 'status_subscriber',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    email: p.string().length(254).unique(),
    token: p.string().length(64).unique(),
    confirmedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});
export type StatusSubscriber = InferEntity<typeof StatusSubscriber>;
