import { Migration } from '@mikro-orm/migrations';

export class Migration20261209000000_channels extends Migration {

  override name = 'Migration20261209000000_channels';

  override up(): void | Promise<void> {
    this.addSql(`create table "channel_account" ("id" uuid not null, "tenant_id" uuid not null, "kind" text not null, "name" varchar(120) not null, "campaign_id" uuid null, "address" varchar(64) null, "account_sid" varchar(64) null, "secrets" text not null, "active" boolean not null default true, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "channel_account" add constraint "channel_account_tenant_id_name_unique" unique ("tenant_id", "name");`);

    this.addSql(`create table "channel_message" ("id" uuid not null, "tenant_id" uuid not null, "account_id" uuid not null, "direction" text not null, "provider_id" varchar(128) null, "message_id" uuid null, "attempts" int not null default 0, "lease_until" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "channel_message_message_id_index" on "channel_message" ("message_id");`);
    this.addSql(`alter table "channel_message" add constraint "channel_message_account_id_provider_id_unique" unique ("account_id", "provider_id");`);

    this.addSql(`alter table "contact_identifier" drop constraint "contact_identifier_kind_check";`);
    this.addSql(`alter table "contact_identifier" add constraint "contact_identifier_kind_check" check ("kind" in ('PHONE', 'EMAIL', 'WHATSAPP', 'FACEBOOK', 'WEBCHAT', 'TELEGRAM'));`);

    this.addSql(`alter table "interaction" drop constraint "interaction_channel_check";`);
    this.addSql(`alter table "interaction" add constraint "interaction_channel_check" check ("channel" in ('VOICE', 'WEBCHAT', 'SMS', 'WHATSAPP', 'EMAIL', 'FACEBOOK', 'TELEGRAM'));`);

    this.addSql(`alter table "message" drop constraint "message_delivery_state_check";`);
    this.addSql(`alter table "message" add "delivery_error" varchar(500) null;`);
    this.addSql(`alter table "message" add constraint "message_delivery_state_check" check ("delivery_state" in ('PENDING', 'QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED'));`);

    this.addSql(`alter table "blacklist_entry" drop constraint "blacklist_entry_kind_check";`);
    this.addSql(`alter table "blacklist_entry" add constraint "blacklist_entry_kind_check" check ("kind" in ('PHONE', 'EMAIL', 'WHATSAPP', 'FACEBOOK', 'WEBCHAT', 'TELEGRAM'));`);

    this.addSql(`alter table "channel_account" add constraint "channel_account_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "channel_account" add constraint "channel_account_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete set null;`);
    this.addSql(`alter table "channel_account" add constraint "channel_account_kind_check" check ("kind" in ('SMS', 'TELEGRAM'));`);

    this.addSql(`alter table "channel_message" add constraint "channel_message_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "channel_message" add constraint "channel_message_account_id_foreign" foreign key ("account_id") references "channel_account" ("id") on delete cascade;`);
    this.addSql(`alter table "channel_message" add constraint "channel_message_message_id_foreign" foreign key ("message_id") references "message" ("id") on delete cascade;`);
    this.addSql(`alter table "channel_message" add constraint "channel_message_direction_check" check ("direction" in ('INBOUND', 'OUTBOUND'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "channel_message" drop constraint "channel_message_account_id_foreign";`);

    this.addSql(`drop table if exists "channel_account" cascade;`);
    this.addSql(`drop table if exists "channel_message" cascade;`);

    this.addSql(`alter table "blacklist_entry" drop constraint "blacklist_entry_kind_check";`);
    this.addSql(`alter table "blacklist_entry" add constraint "blacklist_entry_kind_check" check ("kind" in ('PHONE', 'EMAIL', 'WHATSAPP', 'FACEBOOK', 'WEBCHAT'));`);

    this.addSql(`alter table "contact_identifier" drop constraint "contact_identifier_kind_check";`);
    this.addSql(`alter table "contact_identifier" add constraint "contact_identifier_kind_check" check ("kind" in ('PHONE', 'EMAIL', 'WHATSAPP', 'FACEBOOK', 'WEBCHAT'));`);

    this.addSql(`alter table "interaction" drop constraint "interaction_channel_check";`);
    this.addSql(`alter table "interaction" add constraint "interaction_channel_check" check ("channel" in ('VOICE', 'WEBCHAT', 'SMS', 'WHATSAPP', 'EMAIL', 'FACEBOOK'));`);

    this.addSql(`alter table "message" drop constraint "message_delivery_state_check";`);
    this.addSql(`alter table "message" drop column "delivery_error";`);
    this.addSql(`alter table "message" add constraint "message_delivery_state_check" check ("delivery_state" in ('PENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED'));`);

  }

}
