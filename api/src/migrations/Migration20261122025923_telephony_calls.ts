import { Migration } from '@mikro-orm/migrations';

export class Migration20261122025923_telephony_calls extends Migration {

  override name = 'Migration20261122025923_telephony_calls';

  override up(): void | Promise<void> {
    this.addSql(`create table "sip_trunk" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(120) not null, "host" varchar(253) not null, "port" int not null, "transport" text not null, "username" varchar(120) null, "password" varchar(200) null, "allowed_sources" jsonb not null, "caller_id_default" varchar(20) null, "active" boolean not null default true, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "sip_trunk" add constraint "sip_trunk_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "did" ("id" uuid not null, "tenant_id" uuid not null, "number" varchar(20) not null, "trunk_id" uuid not null, "campaign_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "did" add constraint "did_number_unique" unique ("number");`);

    this.addSql(`create table "call" ("id" uuid not null, "tenant_id" uuid not null, "sip_call_id" varchar(255) not null, "interaction_id" uuid null, "trunk_id" uuid null, "from_number" varchar(64) not null, "to_number" varchar(64) not null, "record" boolean not null default false, "started_at" timestamptz not null, "ended_at" timestamptz null, "sip_code" int null, "ended_by" varchar(20) null, "recording" text null, primary key ("id"));`);
    this.addSql(`alter table "call" add constraint "call_sip_call_id_unique" unique ("sip_call_id");`);
    this.addSql(`alter table "call" add constraint "call_interaction_id_unique" unique ("interaction_id");`);
    this.addSql(`create index "call_tenant_id_ended_at_index" on "call" ("tenant_id", "ended_at");`);

    this.addSql(`alter table "campaign" add "record_calls" boolean not null default false, add "no_agent_action" text not null default 'BUSY', add "ring_seconds" int not null default 20;`);
    this.addSql(`alter table "campaign" add constraint "campaign_no_agent_action_check" check ("no_agent_action" in ('BUSY', 'UNAVAILABLE'));`);

    this.addSql(`alter table "sip_trunk" add constraint "sip_trunk_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "sip_trunk" add constraint "sip_trunk_transport_check" check ("transport" in ('UDP', 'TCP', 'TLS'));`);

    this.addSql(`alter table "did" add constraint "did_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "did" add constraint "did_trunk_id_foreign" foreign key ("trunk_id") references "sip_trunk" ("id") on delete cascade;`);
    this.addSql(`alter table "did" add constraint "did_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete set null;`);

    this.addSql(`alter table "call" add constraint "call_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "call" add constraint "call_interaction_id_foreign" foreign key ("interaction_id") references "interaction" ("id") on delete cascade;`);
    this.addSql(`alter table "call" add constraint "call_trunk_id_foreign" foreign key ("trunk_id") references "sip_trunk" ("id") on delete set null;`);
    this.addSql(`alter table "call" add constraint "call_recording_check" check ("recording" in ('PENDING', 'ATTACHED', 'MISSING'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "did" drop constraint "did_trunk_id_foreign";`);
    this.addSql(`alter table "call" drop constraint "call_trunk_id_foreign";`);

    this.addSql(`drop table if exists "sip_trunk" cascade;`);
    this.addSql(`drop table if exists "did" cascade;`);
    this.addSql(`drop table if exists "call" cascade;`);

    this.addSql(`alter table "campaign" drop constraint "campaign_no_agent_action_check";`);
    this.addSql(`alter table "campaign" drop column "record_calls", drop column "no_agent_action", drop column "ring_seconds";`);
  }

}
