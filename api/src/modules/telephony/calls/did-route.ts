import type { App } from '../../../platform/context.js';
import { sqlOnce } from '../../../platform/db/sql.js';
import type { AnonymousCalls, NoAgentAction } from '../../campaigns/campaign.entity.js';
import type { CampaignRow } from '../../routing/receive.js';
import { sourceAllowed } from './allow-list.js';

/** What an inbound call to a DID needs to know before anything is written. */
export interface DidRoute {
  tenantId: string;
  tenantSlug: string;
  /** The first of the tenant's active trunks that allows the packet's source, or null. */
  trunkId: string | null;
  campaign: Omit<CampaignRow, 'active'> & {
    id: string;
    noAgentAction: NoAgentAction;
    ringSeconds: number;
    recordCalls: boolean;
    anonymousCalls: AnonymousCalls;
    /** The campaign's queue holds callers this long with music on hold; null: never. */
    callWaitSeconds: number | null;
  };
  /** The blacklist entry refusing one of the caller's numbers (PHONE or WHATSAPP, exact or prefix), or null. */
  blockedBy: string | null;
}

interface Row extends Omit<CampaignRow, 'active'> {
  tenant_id: string;
  slug: string;
  campaign_id: string;
  no_agent_action: NoAgentAction;
  ring_seconds: number;
  record_calls: boolean;
  anonymous_calls: AnonymousCalls;
  call_wait_seconds: number | null;
  trunks: { id: string; sources: string[] }[] | null;
  blocked_by: string | null;
}

/**
 * The DID's tenant, its active campaign (with its schedule and queue), the tenant's active trunks
 * and whether the caller is blacklisted under any of `callers` (its asserted identity and its From,
 * both normalised by `callerNumber`; nulls are skipped), in
 * one statement that writes nothing (DIDs are unique across the platform; every other table is
 * joined by the DID's tenant). Null when the number is not ours, its tenant is suspended, or its
 * campaign is missing or inactive (a carrier hears 404 either way).
 */
export async function didRoute(app: App, number: string, sourceIp: string, callers: readonly [string | null, string | null]): Promise<DidRoute | null> {
  const [row] = await sqlOnce<Row>(
    app.orm,
    `select d.tenant_id, t.slug, c.id as campaign_id, c.no_agent_action, c.ring_seconds, c.record_calls, c.anonymous_calls,
            c.time_zone, c.opening_hours, c.holidays, c.out_of_hours_action, c.out_of_hours_message, c.default_queue_id,
            (select q.call_wait_seconds from queue q where q.id = c.default_queue_id and q.tenant_id = d.tenant_id) as call_wait_seconds,
            (select json_agg(json_build_object('id', s.id, 'sources', s.allowed_sources) order by s.id)
               from sip_trunk s where s.tenant_id = d.tenant_id and s.active) as trunks,
            (select b.id from blacklist_entry b, (values (?::text), (?::text)) as caller(number)
              where b.tenant_id = d.tenant_id and b.kind in ('PHONE', 'WHATSAPP') and caller.number is not null
                and ((b.match = 'EXACT' and b.value = caller.number) or (b.match = 'PREFIX' and starts_with(caller.number, b.value)))
              limit 1) as blocked_by
       from did d
       join tenant t on t.id = d.tenant_id and t.status = 'ACTIVE'
       join campaign c on c.id = d.campaign_id and c.tenant_id = d.tenant_id and c.active
      where d.number = ?`,
    [callers[0], callers[1], number],
  );
  if (!row) return null;
  const trunk = (row.trunks ?? []).find((t) => sourceAllowed(t.sources, sourceIp));
  return {
    tenantId: row.tenant_id,
    tenantSlug: row.slug,
    trunkId: trunk?.id ?? null,
    campaign: {
      id: row.campaign_id,
      noAgentAction: row.no_agent_action,
      ringSeconds: row.ring_seconds,
      recordCalls: row.record_calls,
      anonymousCalls: row.anonymous_calls,
      callWaitSeconds: row.call_wait_seconds,
      time_zone: row.time_zone,
      opening_hours: row.opening_hours,
      holidays: row.holidays,
      out_of_hours_action: row.out_of_hours_action,
      out_of_hours_message: row.out_of_hours_message,
      default_queue_id: row.default_queue_id,
    },
    blockedBy: row.blocked_by,
  };
}
