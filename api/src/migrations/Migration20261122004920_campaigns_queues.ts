import { Migration } from '@mikro-orm/migrations';

export class Migration20261122004920_campaigns_queues extends Migration {

  override name = 'Migration20261122004920_campaigns_queues';

  override up(): void | Promise<void> {
    this.addSql(`create table "queue" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(120) not null, "strategy" text not null, "wrap_up_seconds" int not null, "service_level_seconds" int not null, "max_wait_seconds" int null, "overflow_queue_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "queue" add constraint "queue_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "campaign" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(120) not null, "type" text not null, "active" boolean not null default true, "time_zone" varchar(64) not null, "opening_hours" jsonb not null, "holidays" jsonb not null, "welcome_message" text null, "out_of_hours_action" text not null, "out_of_hours_message" text null, "screen_pop_url_template" varchar(2000) null, "default_queue_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "campaign" add constraint "campaign_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "disposition" ("id" uuid not null, "tenant_id" uuid not null, "campaign_id" uuid not null, "code" varchar(40) not null, "label" varchar(120) not null, "active" boolean not null default true, primary key ("id"));`);
    this.addSql(`alter table "disposition" add constraint "disposition_campaign_id_code_unique" unique ("campaign_id", "code");`);

    this.addSql(`create table "queue_member" ("queue_id" uuid not null, "user_id" uuid not null, "tenant_id" uuid not null, primary key ("queue_id", "user_id"));`);
    this.addSql(`create index "queue_member_user_id_index" on "queue_member" ("user_id");`);

    this.addSql(`alter table "queue" add constraint "queue_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "queue" add constraint "queue_overflow_queue_id_foreign" foreign key ("overflow_queue_id") references "queue" ("id") on delete set null;`);
    this.addSql(`alter table "queue" add constraint "queue_strategy_check" check ("strategy" in ('LONGEST_IDLE', 'ROUND_ROBIN'));`);

    this.addSql(`alter table "campaign" add constraint "campaign_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "campaign" add constraint "campaign_default_queue_id_foreign" foreign key ("default_queue_id") references "queue" ("id") on delete set null;`);
    this.addSql(`alter table "campaign" add constraint "campaign_type_check" check ("type" in ('VOICE_INBOUND', 'VOICE_OUTBOUND', 'OMNI'));`);
    this.addSql(`alter table "campaign" add constraint "campaign_out_of_hours_action_check" check ("out_of_hours_action" in ('MESSAGE', 'LEAVE_MESSAGE', 'QUEUE'));`);

    this.addSql(`alter table "disposition" add constraint "disposition_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "disposition" add constraint "disposition_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);

    this.addSql(`alter table "queue_member" add constraint "queue_member_queue_id_foreign" foreign key ("queue_id") references "queue" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "queue_member" add constraint "queue_member_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "queue_member" add constraint "queue_member_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "queue" drop constraint "queue_overflow_queue_id_foreign";`);
    this.addSql(`alter table "campaign" drop constraint "campaign_default_queue_id_foreign";`);
    this.addSql(`alter table "queue_member" drop constraint "queue_member_queue_id_foreign";`);
    this.addSql(`alter table "disposition" drop constraint "disposition_campaign_id_foreign";`);

    this.addSql(`drop table if exists "queue" cascade;`);
    this.addSql(`drop table if exists "campaign" cascade;`);
    this.addSql(`drop table if exists "disposition" cascade;`);
    this.addSql(`drop table if exists "queue_member" cascade;`);
  }

}
