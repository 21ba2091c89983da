import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../platform/ids.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Campaign } from '../campaigns/campaign.entity.js';
import { Interaction } from '../interactions/interaction.entity.js';

/** The public key a website puts in its chat widget; it names a campaign and the origins allowed to use it. */
export const WidgetKey = defineEntity({
  name: 'WidgetKey',
  tableName: 'widget_key',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    campaign: () => p.manyToOne(Campaign).deleteRule('cascade').index(),
    key: p.string().length(64).unique(),
    allowedOrigins: p.array().$type<string[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
  },
});
export type WidgetKey = InferEntity<typeof WidgetKey>;

/**
 * A website visitor's chat. The widget keeps the visitor token (only its hash is stored) so a
 * page reload continues the same conversation.
 */
export const VisitorSession = defineEntity({
  name: 'VisitorSession',
  tableName: 'visitor_session',
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    widgetKey: () => p.manyToOne(WidgetKey).deleteRule('cascade'),
    tokenHash: p.string().length(64).unique().hidden(),
    interaction: () => p.manyToOne(Interaction).nullable().deleteRule('set null'),
    createdAt: p.datetime(),
    /** Rate limit: messages sent in the window that started at windowStart. */
    windowStart: p.datetime(),
    windowCount: p.integer().default(0),
  },
});
export type VisitorSession = InferEntity<typeof VisitorSession>;
