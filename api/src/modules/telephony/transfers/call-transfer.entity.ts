import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../../platform/ids.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { User } from '../../identity/user.entity.js';
import { Interaction } from '../../interactions/interaction.entity.js';
import { Queue } from '../../queues/queue.entity.js';
import { Call } from '../calls/call.entity.js';

/**
 * A blind transfer of a call in progress (`transferInteraction` on a VOICE interaction). The agent's
 * phone REFERs the caller's side to `sip:xfer-<token>@<tenant SIP domain>`; the carrier's new INVITE
 * to that URI is routed to `queue` or `agent`. Only the token's SHA-256 is stored.
 */
export const CallTransfer = defineEntity({
  name: 'CallTransfer',
  tableName: 'call_transfer',
  indexes: [{ properties: ['tenant', 'interaction'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    interaction: () => p.manyToOne(Interaction).deleteRule('cascade'),
    /** The agent whose call it was, and that call (the leg that is referred away). */
    fromAgent: () => p.manyToOne(User).deleteRule('cascade'),
    fromCall: () => p.manyToOne(Call).deleteRule('cascade'),
    /** Exactly one of them: where the new leg goes. */
    queue: () => p.manyToOne(Queue).nullable().deleteRule('cascade'),
    agent: () => p.manyToOne(User).nullable().deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime(),
    /** The new INVITE must arrive before this. */
    expiresAt: p.datetime(),
    /** When the caller's side accepted the REFER (or its INVITE came first): the first agent's part ended. */
    handedOverAt: p.datetime().nullable(),
    /** The new leg that used the token (a token is good for one call). */
    toCall: () => p.manyToOne(Call).nullable().unique().deleteRule('set null'),
  },
});
export type CallTransfer = InferEntity<typeof CallTransfer>;
