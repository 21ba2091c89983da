import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes that keep lists, searches, statistics, sweeps and the retention purge flat as history
 * grows (issue 20; docs/performance.md, "Scale"). Built with `create index concurrently`, which
 * does not block writes and cannot run in a transaction: this migration runs outside one
 * (`isTransactional() = false`; the migrator applies each migration on its own, see
 * platform/db/orm.ts). Each index is dropped first if a build interrupted earlier left it
 * invalid; the indexes it replaces are dropped concurrently last.
 */
const INDEXES: [name: string, definition: string][] = [
  ['interaction_tenant_id_created_at_id_index', 'on "interaction" ("tenant_id", "created_at", "id")'],
  ['interaction_tenant_id_state_created_at_id_index', 'on "interaction" ("tenant_id", "state", "created_at", "id")'],
  ['interaction_tenant_id_channel_created_at_id_index', 'on "interaction" ("tenant_id", "channel", "created_at", "id")'],
  ['interaction_tenant_id_contact_id_created_at_id_index', 'on "interaction" ("tenant_id", "contact_id", "created_at", "id")'],
  ['interaction_tenant_id_agent_id_created_at_id_index', 'on "interaction" ("tenant_id", "agent_id", "created_at", "id")'],
  ['interaction_tenant_id_queue_id_created_at_id_index', 'on "interaction" ("tenant_id", "queue_id", "created_at", "id")'],
  ['interaction_tenant_id_campaign_id_created_at_id_index', 'on "interaction" ("tenant_id", "campaign_id", "created_at", "id")'],
  ['interaction_tenant_id_queued_at_index', 'on "interaction" ("tenant_id", "queued_at")'],
  ['interaction_tenant_id_answered_at_index', 'on "interaction" ("tenant_id", "answered_at")'],
  ['interaction_tenant_id_ended_at_index', 'on "interaction" ("tenant_id", "ended_at")'],
  ['interaction_queued_index', `on "interaction" ("tenant_id", "queue_id", "queued_at") where "state" = 'QUEUED'`],
  ['interaction_offered_expiry_index', `on "interaction" ("offer_expires_at") where "state" = 'OFFERED'`],
  [
    'interaction_retention_due_index',
    `on "interaction" ("tenant_id", coalesce("ended_at", "created_at")) where "transcript_purged_at" is null and "state" in ('CLOSED', 'ABANDONED')`,
  ],
  ['interaction_offer_agent_id_queue_id_offered_at_index', 'on "interaction_offer" ("agent_id", "queue_id", "offered_at")'],
  ['ticket_tenant_id_status_id_index', 'on "ticket" ("tenant_id", "status", "id")'],
  ['contact_name_trgm_index', 'on "contact" using gin ("name" gin_trgm_ops)'],
];

/** Covered by the new (tenant, column, created_at, id) indexes. */
const REPLACED = ['interaction_tenant_id_state_index', 'interaction_tenant_id_contact_id_index', 'interaction_tenant_id_created_at_index'];

export class Migration20261208100000_scale_indexes extends Migration {
  override name = 'Migration20261208100000_scale_indexes';

  override isTransactional(): boolean {
    return false;
  }

  override up(): void | Promise<void> {
    // pg_trgm is a trusted contrib extension (PostgreSQL 13+): the database owner may create it
    this.addSql('create extension if not exists pg_trgm;');
    for (const [name, definition] of INDEXES) {
      this.addSql(`drop index concurrently if exists "${name}";`);
      this.addSql(`create index concurrently "${name}" ${definition};`);
    }
    for (const name of REPLACED) this.addSql(`drop index concurrently if exists "${name}";`);
  }

  override down(): void | Promise<void> {
    this.addSql('create index concurrently if not exists "interaction_tenant_id_state_index" on "interaction" ("tenant_id", "state");');
    this.addSql('create index concurrently if not exists "interaction_tenant_id_contact_id_index" on "interaction" ("tenant_id", "contact_id");');
    this.addSql('create index concurrently if not exists "interaction_tenant_id_created_at_index" on "interaction" ("tenant_id", "created_at");');
    for (const [name] of INDEXES) this.addSql(`drop index concurrently if exists "${name}";`);
  }
}
