import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { uuidv7 } from '../../../platform/ids.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { Interaction } from '../../interactions/interaction.entity.js';
import { SipTrunk } from './trunk.entity.js';

export enum RecordingStatus {
  PENDING = 'PENDING',
  ATTACHED = 'ATTACHED',
  MISSING = 'MISSING',
}

/**
 * The SIP side of a VOICE interaction: its Call-ID, the trunk it used and how it ended. A call
 * without `endedAt` holds one of the tenant's telephony channels (5 per licensed seat).
 */
export const Call = defineEntity({
  name: 'Call',
  tableName: 'call',
  indexes: [{ properties: ['tenant', 'endedAt'] }, { properties: ['interaction'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => uuidv7()),
    tenant: () => p.manyToOne(Tenant),
    sipCallId: p.string().length(255).unique(),
    /**
     * Null while the route decision is being made, and when routing refused the call. A transferred
     * call has several legs (one per agent), each its own Call-ID: the live one has no `endedAt`.
     */
    interaction: () => p.manyToOne(Interaction).nullable().deleteRule('cascade'),
    trunk: () => p.manyToOne(SipTrunk).nullable().deleteRule('set null'),
    /** Caller and called numbers (or the agent's SIP user) as routed; no caller number for an anonymous caller. */
    fromNumber: p.string().length(64).nullable(),
    toNumber: p.string().length(64),
    record: p.boolean().default(false),
    startedAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    /** SIP status of a failed call (486, 408, ...), 200 for one that was answered and hung up. */
    sipCode: p.integer().nullable(),
    /** 'caller', 'callee', 'api' (a supervisor hung up) or 'transfer' (the caller's side was referred to another leg). */
    endedBy: p.string().length(20).nullable(),
    /** Recorded calls: PENDING until the WAV is attached (ATTACHED) or no recording turned up (MISSING). */
    recording: p.enum(() => RecordingStatus).nullable(),
    /** Kamailio's clock (`at`) of the event that ended the call, as applied: a late `answered` from before it is still the call's answer. */
    sipEndedAt: p.datetime().nullable(),
    /** Kamailio's clock of the latest event applied: an older hold or resume arriving after it is stale. */
    sipEventAt: p.datetime().nullable(),
    /** The caller's From-tag, kept for calls that may wait: rtpengine names the caller's side by it. */
    fromTag: p.string().length(128).nullable(),
    /** When the caller started hearing music on hold (an early-media session in rtpengine); null: never held. */
    heldAt: p.datetime().nullable(),
  },
});
export type Call = InferEntity<typeof Call>;
