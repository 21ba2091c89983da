import { Migration } from '@mikro-orm/migrations';

export class Migration20261122012747_webchat extends Migration {

  override name = 'Migration20261122012747_webchat';

  override up(): void | Promise<void> {
    this.addSql(`create table "widget_key" ("id" uuid not null, "tenant_id" uuid not null, "campaign_id" uuid not null, "key" varchar(64) not null, "allowed_origins" text[] not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "widget_key_campaign_id_index" on "widget_key" ("campaign_id");`);
    this.addSql(`alter table "widget_key" add constraint "widget_key_key_unique" unique ("key");`);

    this.addSql(`create table "visitor_session" ("id" uuid not null, "tenant_id" uuid not null, "widget_key_id" uuid not null, "token_hash" varchar(64) not null, "interaction_id" uuid null, "created_at" timestamptz not null, "window_start" timestamptz not null, "window_count" int not null default 0, primary key ("id"));`);
    this.addSql(`alter table "visitor_session" add constraint "visitor_session_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "widget_key" add constraint "widget_key_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "widget_key" add constraint "widget_key_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete cascade;`);

    this.addSql(`alter table "visitor_session" add constraint "visitor_session_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "visitor_session" add constraint "visitor_session_widget_key_id_foreign" foreign key ("widget_key_id") references "widget_key" ("id") on delete cascade;`);
    this.addSql(`alter table "visitor_session" add constraint "visitor_session_interaction_id_foreign" foreign key ("interaction_id") references "interaction" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "visitor_session" drop constraint "visitor_session_widget_key_id_foreign";`);

    this.addSql(`drop table if exists "widget_key" cascade;`);
    this.addSql(`drop table if exists "visitor_session" cascade;`);
  }

}
