import { Migration } from '@mikro-orm/migrations';

export class Migration20261122054119_call_transfers extends Migration {

  override name = 'Migration20261122054119_call_transfers';

  override up(): void | Promise<void> {
    this.addSql(`create table "call_transfer" ("id" uuid not null, "tenant_id" uuid not null, "interaction_id" uuid not null, "from_agent_id" uuid not null, "from_call_id" uuid not null, "queue_id" uuid null, "agent_id" uuid null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "handed_over_at" timestamptz null, "to_call_id" uuid null, primary key ("id"));`);
    this.addSql(`alter table "call_transfer" add constraint "call_transfer_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "call_transfer" add constraint "call_transfer_to_call_id_unique" unique ("to_call_id");`);
    this.addSql(`create index "call_transfer_tenant_id_interaction_id_index" on "call_transfer" ("tenant_id", "interaction_id");`);

    this.addSql(`alter table "call" drop constraint "call_interaction_id_unique";`);
    this.addSql(`create index "call_interaction_id_index" on "call" ("interaction_id");`);

    this.addSql(`alter table "call_transfer" add constraint "call_transfer_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "call_transfer" add constraint "call_transfer_interaction_id_foreign" foreign key ("interaction_id") references "interaction" ("id") on delete cascade;`);
    this.addSql(`alter table "call_transfer" add constraint "call_transfer_from_agent_id_foreign" foreign key ("from_agent_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "call_transfer" add constraint "call_transfer_from_call_id_foreign" foreign key ("from_call_id") references "call" ("id") on delete cascade;`);
    this.addSql(`alter table "call_transfer" add constraint "call_transfer_queue_id_foreign" foreign key ("queue_id") references "queue" ("id") on delete cascade;`);
    this.addSql(`alter table "call_transfer" add constraint "call_transfer_agent_id_foreign" foreign key ("agent_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "call_transfer" add constraint "call_transfer_to_call_id_foreign" foreign key ("to_call_id") references "call" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "call_transfer" cascade;`);

    this.addSql(`drop index "call_interaction_id_index";`);
    this.addSql(`alter table "call" add constraint "call_interaction_id_unique" unique ("interaction_id");`);
  }

}
