import { Migration } from '@mikro-orm/migrations';

export class Migration20261121235202_initial extends Migration {

  override name = 'Migration20261121235202_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "licence_policy" ("key" varchar(40) not null, "name" varchar(200) not null, "min_seats" int not null, "seat_step" int not null, "min_term_months" int not null, "channels_per_seat" int not null, "allows_pbx_users" boolean not null, primary key ("key"));`);

    this.addSql(`create table "platform_setting" ("key" varchar(80) not null, "value" text not null, primary key ("key"));`);

    this.addSql(`create table "tenant" ("id" uuid not null, "name" varchar(200) not null, "slug" varchar(63) not null, "deployment" text not null, "time_zone" varchar(64) not null, "language" text not null, "status" text not null default 'ACTIVE', "licence_policy_key" varchar(40) not null, "created_at" timestamptz not null, "suspended_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "tenant" add constraint "tenant_slug_unique" unique ("slug");`);

    this.addSql(`create table "security_group" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(120) not null, "description" varchar(500) null, "permissions" text[] not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "security_group" add constraint "security_group_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "licence" ("id" uuid not null, "tenant_id" uuid not null, "kind" text not null, "seats" int not null, "term_months" int not null, "starts_at" timestamptz not null, "advanced_reports" boolean not null default false, "ai_connection" boolean not null default false, "support247" boolean not null default false, "pbx_users" int not null default 0, "chatbot_licences" int not null default 0, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`alter table "licence" add constraint "licence_tenant_id_unique" unique ("tenant_id");`);

    this.addSql(`create table "account_contact" ("id" uuid not null, "tenant_id" uuid not null, "type" text not null, "name" varchar(200) not null, "email" varchar(254) not null, "phone" varchar(32) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "account_contact_tenant_id_index" on "account_contact" ("tenant_id");`);

    this.addSql(`create table "app_user" ("id" uuid not null, "tenant_id" uuid null, "email" varchar(254) not null, "name" varchar(200) not null, "role" text not null, "status" text not null default 'ACTIVE', "password_hash" varchar(255) null, "created_at" timestamptz not null, "last_sign_in_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "app_user_tenant_id_index" on "app_user" ("tenant_id");`);
    this.addSql(`create unique index "app_user_operator_email_unique" on "app_user" ("email") where "tenant_id" is null;`);
    this.addSql(`alter table "app_user" add constraint "app_user_tenant_id_email_unique" unique ("tenant_id", "email");`);

    this.addSql(`create table "session" ("id" uuid not null, "tenant_id" uuid null, "user_id" uuid not null, "refresh_token_hash" varchar(64) not null, "previous_token_hashes" text[] not null default '{}', "holds_seat" boolean not null default false, "created_at" timestamptz not null, "last_used_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "user_agent" varchar(400) null, primary key ("id"));`);
    this.addSql(`create index "session_user_id_index" on "session" ("user_id");`);
    this.addSql(`alter table "session" add constraint "session_refresh_token_hash_unique" unique ("refresh_token_hash");`);

    this.addSql(`create table "security_group_member" ("group_id" uuid not null, "user_id" uuid not null, "tenant_id" uuid not null, primary key ("group_id", "user_id"));`);
    this.addSql(`create index "security_group_member_user_id_index" on "security_group_member" ("user_id");`);

    this.addSql(`create table "api_key" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(120) not null, "prefix" varchar(16) not null, "secret_hash" varchar(64) not null, "scopes" text[] not null, "created_by_id" uuid null, "created_at" timestamptz not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "api_key_tenant_id_index" on "api_key" ("tenant_id");`);
    this.addSql(`alter table "api_key" add constraint "api_key_secret_hash_unique" unique ("secret_hash");`);

    this.addSql(`alter table "tenant" add constraint "tenant_licence_policy_key_foreign" foreign key ("licence_policy_key") references "licence_policy" ("key");`);
    this.addSql(`alter table "tenant" add constraint "tenant_deployment_check" check ("deployment" in ('CLOUD', 'ON_PREMISES'));`);
    this.addSql(`alter table "tenant" add constraint "tenant_language_check" check ("language" in ('en', 'es', 'fr'));`);
    this.addSql(`alter table "tenant" add constraint "tenant_status_check" check ("status" in ('ACTIVE', 'SUSPENDED'));`);

    this.addSql(`alter table "security_group" add constraint "security_group_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);

    this.addSql(`alter table "licence" add constraint "licence_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "licence" add constraint "licence_kind_check" check ("kind" in ('VOICE', 'OMNI'));`);

    this.addSql(`alter table "account_contact" add constraint "account_contact_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "account_contact" add constraint "account_contact_type_check" check ("type" in ('ADMINISTRATIVE', 'TECHNICAL', 'BILLING'));`);

    this.addSql(`alter table "app_user" add constraint "app_user_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete no action;`);
    this.addSql(`alter table "app_user" add constraint "app_user_operator_has_no_tenant" check (("role" = 'PLATFORM_OPERATOR') = ("tenant_id" is null));`);
    this.addSql(`alter table "app_user" add constraint "app_user_role_check" check ("role" in ('AGENT', 'SUPERVISOR', 'ADMINISTRATOR', 'PLATFORM_OPERATOR'));`);
    this.addSql(`alter table "app_user" add constraint "app_user_status_check" check ("status" in ('ACTIVE', 'DISABLED'));`);

    this.addSql(`alter table "session" add constraint "session_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete no action;`);
    this.addSql(`alter table "session" add constraint "session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);

    this.addSql(`alter table "security_group_member" add constraint "security_group_member_group_id_foreign" foreign key ("group_id") references "security_group" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "security_group_member" add constraint "security_group_member_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "security_group_member" add constraint "security_group_member_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);

    this.addSql(`alter table "api_key" add constraint "api_key_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "api_key" add constraint "api_key_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tenant" drop constraint "tenant_licence_policy_key_foreign";`);
    this.addSql(`alter table "security_group" drop constraint "security_group_tenant_id_foreign";`);
    this.addSql(`alter table "licence" drop constraint "licence_tenant_id_foreign";`);
    this.addSql(`alter table "account_contact" drop constraint "account_contact_tenant_id_foreign";`);
    this.addSql(`alter table "app_user" drop constraint "app_user_tenant_id_foreign";`);
    this.addSql(`alter table "session" drop constraint "session_tenant_id_foreign";`);
    this.addSql(`alter table "security_group_member" drop constraint "security_group_member_tenant_id_foreign";`);
    this.addSql(`alter table "api_key" drop constraint "api_key_tenant_id_foreign";`);
    this.addSql(`alter table "security_group_member" drop constraint "security_group_member_group_id_foreign";`);
    this.addSql(`alter table "session" drop constraint "session_user_id_foreign";`);
    this.addSql(`alter table "security_group_member" drop constraint "security_group_member_user_id_foreign";`);
    this.addSql(`alter table "api_key" drop constraint "api_key_created_by_id_foreign";`);

    this.addSql(`drop table if exists "licence_policy" cascade;`);
    this.addSql(`drop table if exists "platform_setting" cascade;`);
    this.addSql(`drop table if exists "tenant" cascade;`);
    this.addSql(`drop table if exists "security_group" cascade;`);
    this.addSql(`drop table if exists "licence" cascade;`);
    this.addSql(`drop table if exists "account_contact" cascade;`);
    this.addSql(`drop table if exists "app_user" cascade;`);
    this.addSql(`drop table if exists "session" cascade;`);
    this.addSql(`drop table if exists "security_group_member" cascade;`);
    this.addSql(`drop table if exists "api_key" cascade;`);
  }

}
