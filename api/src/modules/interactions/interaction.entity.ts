import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../identity/user.entity.js';
import { Contact } from '../contacts/contact.entity.js';
import { IdentifierKind } from '../contacts/identifiers.js';
import { Campaign, Disposition } from '../campaigns/campaign.entity.js';
import { Queue } from '../queues/queue.entity.js';

export enum Channel {
  VOICE = 'VOICE',
  WEBCHAT = 'WEBCHAT',
  SMS = 'SMS',
  WHATSAPP = 'WHATSAPP',
  EMAIL = 'EMAIL',
  FACEBOOK = 'FACEBOOK',
  TELEGRAM = 'TELEGRAM',
}

export enum Direction {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
}

export enum InteractionState {
  QUEUED = 'QUEUED',
  OFFERED = 'OFFERED',
  ACTIVE = 'ACTIVE',
  WRAP_UP = 'WRAP_UP',
  CLOSED = 'CLOSED',
  ABANDONED = 'ABANDONED',
}

/** How the customer reached us on each channel: the identifier kind the channel uses. */
export const CHANNEL_IDENTIFIER: Record<Channel, IdentifierKind> = {
  [Channel.VOICE]: IdentifierKind.PHONE,
  [Channel.SMS]: IdentifierKind.PHONE,
  [Channel.WHATSAPP]: IdentifierKind.WHATSAPP,
  [Channel.EMAIL]: IdentifierKind.EMAIL,
  [Channel.FACEBOOK]: IdentifierKind.FACEBOOK,
  [Channel.WEBCHAT]: IdentifierKind.WEBCHAT,
  [Channel.TELEGRAM]: IdentifierKind.TELEGRAM,
};

/** One conversation on one channel. */
export const Interaction = defineEntity({
  name: 'Interaction',
  tableName: 'interaction',
  // Tenant first, then the list filter, then the list's keyset order (created at, id): every
  // filter the API offers pages from an index (docs/performance.md, "Scale"). Built concurrently by
  // Migration20261208100000_scale_indexes.
  indexes: [
    { properties: ['tenant', 'createdAt', 'id'] },
    { properties: ['tenant', 'state', 'createdAt', 'id'] },
    { properties: ['tenant', 'channel', 'createdAt', 'id'] },
    { properties: ['tenant', 'contact', 'createdAt', 'id'] },
    { properties: ['tenant', 'agent', 'createdAt', 'id'] },
    { properties: ['tenant', 'queue', 'createdAt', 'id'] },
    { properties: ['tenant', 'campaign', 'createdAt', 'id'] },
    { properties: ['tenant', 'agent', 'state'] },
    // today's figures of queueStats (queued, answered, ended since midnight)
    { properties: ['tenant', 'queuedAt'] },
    { properties: ['tenant', 'answeredAt'] },
    { properties: ['tenant', 'endedAt'] },
    // what waits (dispatch, sweep, queueStats) and which offers lapse (sweep): small partial indexes
    { name: 'interaction_queued_index', expression: `create index "interaction_queued_index" on "interaction" ("tenant_id", "queue_id", "queued_at") where "state" = 'QUEUED'` },
    { name: 'interaction_offered_expiry_index', expression: `create index "interaction_offered_expiry_index" on "interaction" ("offer_expires_at") where "state" = 'OFFERED'` },
    // transcripts the retention purge has still to delete, by when they ended
    {
      name: 'interaction_retention_due_index',
      expression: `create index "interaction_retention_due_index" on "interaction" ("tenant_id", coalesce("ended_at", "created_at")) where "transcript_purged_at" is null and "state" in ('CLOSED', 'ABANDONED')`,
    },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    channel: p.enum(() => Channel),
    direction: p.enum(() => Direction),
    state: p.enum(() => InteractionState),
    /** The identifier the customer used (a phone number, an address, a handle), normalised. */
    customerAddress: p.string().length(254).nullable(),
    contact: () => p.manyToOne(Contact).nullable().deleteRule('set null'),
    campaign: () => p.manyToOne(Campaign).nullable().deleteRule('set null'),
    queue: () => p.manyToOne(Queue).nullable().deleteRule('set null'),
    agent: () => p.manyToOne(User).nullable().deleteRule('set null'),
    subject: p.string().length(300).nullable(),
    createdAt: p.datetime(),
    queuedAt: p.datetime().nullable(),
    offeredAt: p.datetime().nullable(),
    answeredAt: p.datetime().nullable(),
    /** While OFFERED: when the offer lapses and the interaction goes back to the queue. */
    offerExpiresAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
    disposition: () => p.manyToOne(Disposition).nullable().deleteRule('set null'),
    notes: p.text().nullable(),
    /** Storage key of the call recording (voice), when there is one. */
    recordingRef: p.string().length(500).nullable(),
    /** When the retention job deleted its messages and recording (the interaction's figures stay). */
    transcriptPurgedAt: p.datetime().nullable(),
  },
});
export type Interaction = InferEntity<typeof Interaction>;

export enum MessageSender {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
  SYSTEM = 'SYSTEM',
}

export enum DeliveryState {
  PENDING = 'PENDING',
  /** Waiting to go out through a channel adapter (SMS, Telegram): a send job holds it. */
  QUEUED = 'QUEUED',
  SENT = 'SENT',
  DELIVERED = 'DELIVERED',
  READ = 'READ',
  FAILED = 'FAILED',
}

/** A message of a written interaction. Its UUIDv7 id orders messages and is the replay cursor. */
export const Message = defineEntity({
  name: 'Message',
  tableName: 'message',
  indexes: [{ properties: ['interaction', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    interaction: () => p.manyToOne(Interaction).deleteRule('cascade'),
    sender: p.enum(() => MessageSender),
    author: () => p.manyToOne(User).nullable().deleteRule('set null'),
    body: p.text(),
    deliveryState: p.enum(() => DeliveryState),
    /** Why the provider refused or could not deliver it (FAILED), in the provider's words. */
    deliveryError: p.string().length(500).nullable(),
    createdAt: p.datetime(),
  },
});
export type Message = InferEntity<typeof Message>;

export enum OfferOutcome {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  TIMED_OUT = 'TIMED_OUT',
}

/** Each time routing offered an interaction to an agent, and what became of it. */
export const InteractionOffer = defineEntity({
  name: 'InteractionOffer',
  tableName: 'interaction_offer',
  // (agent, queue, offered at): ROUND_ROBIN's "last offer of this agent in this queue" is one index probe
  indexes: [{ properties: ['interaction', 'agent'] }, { properties: ['agent', 'offeredAt'] }, { properties: ['agent', 'queue', 'offeredAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    interaction: () => p.manyToOne(Interaction).deleteRule('cascade'),
    agent: () => p.manyToOne(User).deleteRule('cascade'),
    queue: () => p.manyToOne(Queue).nullable().deleteRule('set null'),
    offeredAt: p.datetime(),
    outcome: p.enum(() => OfferOutcome),
    decidedAt: p.datetime().nullable(),
  },
});
export type InteractionOffer = InferEntity<typeof InteractionOffer>;
