import { Migration } from '@mikro-orm/migrations';

export class Migration20261122010510_interactions extends Migration {

  override name = 'Migration20261122010510_interactions';

  override up(): void | Promise<void> {
    this.addSql(`create table "interaction" ("id" uuid not null, "tenant_id" uuid not null, "channel" text not null, "direction" text not null, "state" text not null, "customer_address" varchar(254) null, "contact_id" uuid null, "campaign_id" uuid null, "queue_id" uuid null, "agent_id" uuid null, "subject" varchar(300) null, "created_at" timestamptz not null, "queued_at" timestamptz null, "offered_at" timestamptz null, "answered_at" timestamptz null, "offer_expires_at" timestamptz null, "ended_at" timestamptz null, "disposition_id" uuid null, "notes" text null, "recording_ref" varchar(500) null, primary key ("id"));`);
    this.addSql(`create index "interaction_tenant_id_state_index" on "interaction" ("tenant_id", "state");`);
    this.addSql(`create index "interaction_tenant_id_contact_id_index" on "interaction" ("tenant_id", "contact_id");`);
    this.addSql(`create index "interaction_tenant_id_agent_id_state_index" on "interaction" ("tenant_id", "agent_id", "state");`);
    this.addSql(`create index "interaction_tenant_id_created_at_index" on "interaction" ("tenant_id", "created_at");`);

    this.addSql(`create table "message" ("id" uuid not null, "tenant_id" uuid not null, "interaction_id" uuid not null, "sender" text not null, "author_id" uuid null, "body" text not null, "delivery_state" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "message_interaction_id_id_index" on "message" ("interaction_id", "id");`);

    this.addSql(`create table "interaction_offer" ("id" uuid not null, "tenant_id" uuid not null, "interaction_id" uuid not null, "agent_id" uuid not null, "queue_id" uuid null, "offered_at" timestamptz not null, "outcome" text not null, "decided_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "interaction_offer_interaction_id_agent_id_index" on "interaction_offer" ("interaction_id", "agent_id");`);
    this.addSql(`create index "interaction_offer_agent_id_offered_at_index" on "interaction_offer" ("agent_id", "offered_at");`);

    this.addSql(`alter table "agent_state" add "wrap_up_ends_at" timestamptz null;`);

    this.addSql(`alter table "interaction" add constraint "interaction_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "interaction" add constraint "interaction_contact_id_foreign" foreign key ("contact_id") references "contact" ("id") on delete set null;`);
    this.addSql(`alter table "interaction" add constraint "interaction_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete set null;`);
    this.addSql(`alter table "interaction" add constraint "interaction_queue_id_foreign" foreign key ("queue_id") references "queue" ("id") on delete set null;`);
    this.addSql(`alter table "interaction" add constraint "interaction_agent_id_foreign" foreign key ("agent_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "interaction" add constraint "interaction_disposition_id_foreign" foreign key ("disposition_id") references "disposition" ("id") on delete set null;`);
    this.addSql(`alter table "interaction" add constraint "interaction_channel_check" check ("channel" in ('VOICE', 'WEBCHAT', 'SMS', 'WHATSAPP', 'EMAIL', 'FACEBOOK'));`);
    this.addSql(`alter table "interaction" add constraint "interaction_direction_check" check ("direction" in ('INBOUND', 'OUTBOUND'));`);
    this.addSql(`alter table "interaction" add constraint "interaction_state_check" check ("state" in ('QUEUED', 'OFFERED', 'ACTIVE', 'WRAP_UP', 'CLOSED', 'ABANDONED'));`);

    this.addSql(`alter table "message" add constraint "message_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "message" add constraint "message_interaction_id_foreign" foreign key ("interaction_id") references "interaction" ("id") on delete cascade;`);
    this.addSql(`alter table "message" add constraint "message_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "message" add constraint "message_sender_check" check ("sender" in ('CUSTOMER', 'AGENT', 'SYSTEM'));`);
    this.addSql(`alter table "message" add constraint "message_delivery_state_check" check ("delivery_state" in ('PENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED'));`);

    this.addSql(`alter table "interaction_offer" add constraint "interaction_offer_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "interaction_offer" add constraint "interaction_offer_interaction_id_foreign" foreign key ("interaction_id") references "interaction" ("id") on delete cascade;`);
    this.addSql(`alter table "interaction_offer" add constraint "interaction_offer_agent_id_foreign" foreign key ("agent_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "interaction_offer" add constraint "interaction_offer_queue_id_foreign" foreign key ("queue_id") references "queue" ("id") on delete set null;`);
    this.addSql(`alter table "interaction_offer" add constraint "interaction_offer_outcome_check" check ("outcome" in ('PENDING', 'ACCEPTED', 'DECLINED', 'TIMED_OUT'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "message" drop constraint "message_interaction_id_foreign";`);
    this.addSql(`alter table "interaction_offer" drop constraint "interaction_offer_interaction_id_foreign";`);

    this.addSql(`drop table if exists "interaction" cascade;`);
    this.addSql(`drop table if exists "message" cascade;`);
    this.addSql(`drop table if exists "interaction_offer" cascade;`);

    this.addSql(`alter table "agent_state" drop column "wrap_up_ends_at";`);
  }

}
