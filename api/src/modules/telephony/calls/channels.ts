import type { App } from '../../../platform/context.js';
import { tenantEm } from '../../../platform/db/orm.js';
import { uuidv7 } from '../../../platform/ids.js';
import { sqlTransaction, type Sql } from '../../../platform/db/sql.js';
import { Call } from './call.entity.js';

/** Telephony channels per licensed seat (DOMAIN.md: 100 agents -> 500 concurrent calls). */
export const CHANNELS_PER_SEAT = 5;

export interface NewCall {
  sipCallId: string;
  /** Null for an anonymous caller. */
  fromNumber: string | null;
  toNumber: string;
  trunkId: string | null;
}

/** A call about to be written: tied to its interaction, and already ended when routing refused it. */
export interface CallRow extends NewCall {
  interactionId: string | null;
  record: boolean;
  /** Set for a refused call: it is written ended, so it never holds a channel. */
  end: { sipCode: number; endedBy: string } | null;
  /** The caller's From-tag, kept for a call that may wait (its music on hold is played to it). */
  fromTag?: string | null;
}

/**
 * Takes one of the tenant's telephony channels for a new call, or answers 'full' when all of them
 * are in use (or the tenant has no licence) and 'duplicate' when the Call-ID was routed before
 * (a spiral or a loop). The licence row stays locked while live calls are counted and the call is
 * written, so two INVITEs can never both take the last channel.
 */
export async function reserveChannel(app: App, tenantId: string, call: NewCall): Promise<{ id: string } | 'full' | 'duplicate'> {
  return sqlTransaction(app.orm, (sql) => takeChannel(app, sql, tenantId, { ...call, interactionId: null, record: false, end: null }));
}

/**
 * `reserveChannel` inside the caller's transaction, meant as its last step: the licence lock is
 * then held only until the commit. Two statements: the lock, then the count and the conditional
 * insert (issued after the lock, so it sees every call committed by the lock's previous holder).
 */
export async function takeChannel(app: App, sql: Sql, tenantId: string, call: CallRow): Promise<{ id: string } | 'full' | 'duplicate'> {
  const [licence] = await sql<{ seats: number }>('select seats from licence where tenant_id = ? for update', [tenantId]);
  if (!licence) return 'full';
  const now = app.clock.now();
  const [row] = await sql<{ live: string; id: string | null }>(
    `with n as (select count(*) as live from call where tenant_id = ? and ended_at is null),
     c as (
       insert into call (id, tenant_id, sip_call_id, trunk_id, from_number, to_number, interaction_id, record, started_at, ended_at, sip_code, ended_by, from_tag)
       select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? from n where n.live < ?
       on conflict (sip_call_id) do nothing
       returning id)
     select (select live from n) as live, (select id from c) as id`,
    [
      tenantId,
      uuidv7(), tenantId, call.sipCallId.slice(0, 255), call.trunkId, call.fromNumber?.slice(0, 64) ?? null, call.toNumber.slice(0, 64), call.interactionId, call.record, now,
      call.end ? now : null, call.end?.sipCode ?? null, call.end?.endedBy.slice(0, 20) ?? null, call.fromTag?.slice(0, 128) ?? null,
      licence.seats * CHANNELS_PER_SEAT,
    ],
  );
  if (row?.id) return { id: row.id };
  return Number(row?.live ?? 0) < licence.seats * CHANNELS_PER_SEAT ? 'duplicate' : 'full';
}

/** Frees the call's channel (once: the first end wins). */
export async function endCall(app: App, tenantId: string, callId: string, end: { sipCode?: number | null; endedBy?: string | null }): Promise<void> {
  await tenantEm(app.orm, tenantId).nativeUpdate(
    Call,
    { id: callId, tenant: tenantId, endedAt: null },
    { endedAt: app.clock.now(), sipCode: end.sipCode ?? null, endedBy: end.endedBy?.slice(0, 20) ?? null },
  );
}
