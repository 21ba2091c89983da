import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Campaign } from '../campaigns/campaign.entity.js';
import { Direction, Message } from '../interactions/interaction.entity.js';

/** The providers a channel account speaks to; each carries one interaction channel. */
export enum ChannelAccountKind {
  /** Twilio's Messaging API (or anything shaped like it). */
  SMS = 'SMS',
  /** Telegram's Bot API. */
  TELEGRAM = 'TELEGRAM',
}

/**
 * A tenant's account with a messaging provider: where inbound messages arrive (its webhook, by
 * id) and which campaign they go to. `secrets` is sealed with AES-256-GCM (`secrets.ts`), bound
 * to the account's id; GraphQL never shows it.
 */
export const ChannelAccount = defineEntity({
  name: 'ChannelAccount',
  tableName: 'channel_account',
  uniques: [{ properties: ['tenant', 'name'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    kind: p.enum(() => ChannelAccountKind),
    name: p.string().length(120),
    campaign: () => p.manyToOne(Campaign).nullable().deleteRule('set null'),
    /** SMS: the number messages are sent from (E.164). Telegram: the bot's user name, if given. */
    address: p.string().length(64).nullable(),
    /** Twilio's account SID (an identifier, not a secret). */
    accountSid: p.string().length(64).nullable(),
    /** The provider secrets (Twilio auth token; Telegram bot token and webhook secret), sealed. */
    secrets: p.text().hidden(),
    active: p.boolean().default(true),
    createdAt: p.datetime(),
  },
});
export type ChannelAccount = InferEntity<typeof ChannelAccount>;

/**
 * One message as a provider knows it: its id there (for duplicates and status callbacks) and, for
 * outbound ones, the send job's attempts and lease. An inbound row is written before the message
 * is stored: the unique (account, provider id) makes a retried webhook a no-op.
 */
export const ChannelMessage = defineEntity({
  name: 'ChannelMessage',
  tableName: 'channel_message',
  uniques: [{ properties: ['account', 'providerId'] }],
  indexes: [{ properties: ['message'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    account: () => p.manyToOne(ChannelAccount).deleteRule('cascade'),
    direction: p.enum(() => Direction),
    /** Twilio's MessageSid, or Telegram's "chat id:message id"; null until an outbound send is answered. */
    providerId: p.string().length(128).nullable(),
    message: () => p.manyToOne(Message).nullable().deleteRule('cascade'),
    attempts: p.integer().default(0),
    /** While a send job calls the provider: no other job sends the same message before this. */
    leaseUntil: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});
export type ChannelMessage = InferEntity<typeof ChannelMessage>;
