import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Queue } from '../queues/queue.entity.js';

export enum CampaignType {
  VOICE_INBOUND = 'VOICE_INBOUND',
  VOICE_OUTBOUND = 'VOICE_OUTBOUND',
  OMNI = 'OMNI',
}

export enum OutOfHoursAction {
  /** Tell the customer (the out-of-hours message) and end. */
  MESSAGE = 'MESSAGE',
  /** Take a message (chat form, voicemail) that becomes an interaction when the campaign opens. */
  LEAVE_MESSAGE = 'LEAVE_MESSAGE',
  /** Queue anyway. */
  QUEUE = 'QUEUE',
}

/** What an inbound call gets when no agent can take it (there is no queue music or IVR yet). */
export enum NoAgentAction {
  /** 486 Busy Here. */
  BUSY = 'BUSY',
  /** 480 Temporarily Unavailable. */
  UNAVAILABLE = 'UNAVAILABLE',
}

/** Voice: what a call without a usable caller number (withheld, `anonymous`, RFC 3323/5079) gets. */
export enum AnonymousCalls {
  /** Routed like any call, without a contact or customer address. */
  ACCEPT = 'ACCEPT',
  /** 433 Anonymity Disallowed (RFC 5079). */
  REJECT = 'REJECT',
}

/** Opening hours of one weekday, in the campaign's time zone. ISO weekday: 1 = Monday ... 7 = Sunday. */
export interface OpeningHours {
  day: number;
  opens: string;
  closes: string;
}

export interface Holiday {
  /** YYYY-MM-DD in the campaign's time zone. */
  date: string;
  name: string;
}

/** A strategy for a set of interactions: an inbound number, an outbound list, a chat entry point. */
export const Campaign = defineEntity({
  name: 'Campaign',
  tableName: 'campaign',
  uniques: [{ properties: ['tenant', 'name'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    name: p.string().length(120),
    type: p.enum(() => CampaignType),
    active: p.boolean().default(true),
    timeZone: p.string().length(64),
    /** No entries: open around the clock. */
    openingHours: p.json<OpeningHours[]>(),
    holidays: p.json<Holiday[]>(),
    welcomeMessage: p.text().nullable(),
    outOfHoursAction: p.enum(() => OutOfHoursAction),
    outOfHoursMessage: p.text().nullable(),
    /** e.g. https://crm.example/contacts?phone={customer.phone} */
    screenPopUrlTemplate: p.string().length(2000).nullable(),
    defaultQueue: () => p.manyToOne(Queue).nullable().deleteRule('set null'),
    /** Voice: rtpengine records the calls of this campaign. */
    recordCalls: p.boolean().default(false),
    /** Voice: what a caller gets when no agent is free. */
    noAgentAction: p.enum(() => NoAgentAction).default(NoAgentAction.BUSY),
    /** Voice: seconds an agent's phone rings before the offer counts as not answered. */
    ringSeconds: p.integer().default(20),
    /** Voice: whether callers who withhold their number are taken. */
    anonymousCalls: p.enum(() => AnonymousCalls).default(AnonymousCalls.ACCEPT),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Campaign = InferEntity<typeof Campaign>;

/** An outcome agents record at the end of an interaction of the campaign. */
export const Disposition = defineEntity({
  name: 'Disposition',
  tableName: 'disposition',
  uniques: [{ properties: ['campaign', 'code'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    campaign: () => p.manyToOne(Campaign).deleteRule('cascade'),
    code: p.string().length(40),
    label: p.string().length(120),
    active: p.boolean().default(true),
  },
});
export type Disposition = InferEntity<typeof Disposition>;
