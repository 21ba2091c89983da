import { Migration } from '@mikro-orm/migrations';

export class Migration20261122005340_agent_states extends Migration {

  override name = 'Migration20261122005340_agent_states';

  override up(): void | Promise<void> {
    this.addSql(`create table "agent_state" ("user_id" uuid not null, "tenant_id" uuid not null, "status" text not null, "pause_reason" varchar(80) null, "since" timestamptz not null, "written_capacity" int not null default 3, "idle_since" timestamptz null, "version" int not null default 1, primary key ("user_id"));`);
    this.addSql(`create index "agent_state_tenant_id_index" on "agent_state" ("tenant_id");`);


    this.addSql(`alter table "agent_state" add constraint "agent_state_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "agent_state" add constraint "agent_state_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "agent_state" add constraint "agent_state_status_check" check ("status" in ('OFFLINE', 'AVAILABLE', 'PAUSED', 'BUSY', 'WRAP_UP'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "agent_state" cascade;`);

  }

}
