import { Migration } from '@mikro-orm/migrations';

export class Migration20261122004258_contacts extends Migration {

  override name = 'Migration20261122004258_contacts';

  override up(): void | Promise<void> {
    this.addSql(`create table "contact" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "contact_tenant_id_index" on "contact" ("tenant_id");`);

    this.addSql(`create table "contact_identifier" ("id" uuid not null, "tenant_id" uuid not null, "contact_id" uuid not null, "kind" text not null, "value" varchar(254) not null, primary key ("id"));`);
    this.addSql(`create index "contact_identifier_contact_id_index" on "contact_identifier" ("contact_id");`);
    this.addSql(`alter table "contact_identifier" add constraint "contact_identifier_tenant_id_kind_value_unique" unique ("tenant_id", "kind", "value");`);

    this.addSql(`create table "blacklist_entry" ("id" uuid not null, "tenant_id" uuid not null, "kind" text not null, "match" text not null, "value" varchar(254) not null, "reason" varchar(500) null, "created_by_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "blacklist_entry" add constraint "blacklist_entry_tenant_id_kind_match_value_unique" unique ("tenant_id", "kind", "match", "value");`);


    this.addSql(`alter table "contact" add constraint "contact_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);

    this.addSql(`alter table "contact_identifier" add constraint "contact_identifier_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "contact_identifier" add constraint "contact_identifier_contact_id_foreign" foreign key ("contact_id") references "contact" ("id") on delete cascade;`);
    this.addSql(`alter table "contact_identifier" add constraint "contact_identifier_kind_check" check ("kind" in ('PHONE', 'EMAIL', 'WHATSAPP', 'FACEBOOK', 'WEBCHAT'));`);

    this.addSql(`alter table "blacklist_entry" add constraint "blacklist_entry_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "blacklist_entry" add constraint "blacklist_entry_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "blacklist_entry" add constraint "blacklist_entry_kind_check" check ("kind" in ('PHONE', 'EMAIL', 'WHATSAPP', 'FACEBOOK', 'WEBCHAT'));`);
    this.addSql(`alter table "blacklist_entry" add constraint "blacklist_entry_match_check" check ("match" in ('EXACT', 'PREFIX'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "contact_identifier" drop constraint "contact_identifier_contact_id_foreign";`);

    this.addSql(`drop table if exists "contact" cascade;`);
    this.addSql(`drop table if exists "contact_identifier" cascade;`);
    this.addSql(`drop table if exists "blacklist_entry" cascade;`);

  }

}
