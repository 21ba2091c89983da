import { Migration } from '@mikro-orm/migrations';

export class Migration20261122004502_billing extends Migration {

  override name = 'Migration20261122004502_billing';

  override up(): void | Promise<void> {
    this.addSql(`create table "billing_event" ("id" varchar(255) not null, "type" varchar(100) not null, "tenant_id" uuid null, "created_at" timestamptz not null, "received_at" timestamptz not null, "outcome" text not null, "note" text null, primary key ("id"));`);

    this.addSql(`create table "billing_account" ("id" uuid not null, "tenant_id" uuid not null, "stripe_customer_id" varchar(255) not null, "stripe_subscription_id" varchar(255) null, "subscription_status" varchar(40) null, "cancel_at_period_end" boolean not null default false, "current_period_end" timestamptz null, "subscription_state_at" timestamptz null, "payment_state_at" timestamptz null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "billing_account" add constraint "billing_account_tenant_id_unique" unique ("tenant_id");`);
    this.addSql(`alter table "billing_account" add constraint "billing_account_stripe_customer_id_unique" unique ("stripe_customer_id");`);
    this.addSql(`alter table "billing_account" add constraint "billing_account_stripe_subscription_id_unique" unique ("stripe_subscription_id");`);

    this.addSql(`alter table "licence" add "status" text not null default 'ACTIVE', add "grace_ends_at" timestamptz null;`);
    this.addSql(`alter table "licence" add constraint "licence_status_check" check ("status" in ('ACTIVE', 'GRACE', 'SUSPENDED'));`);

    this.addSql(`alter table "billing_event" add constraint "billing_event_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete set null;`);
    this.addSql(`alter table "billing_event" add constraint "billing_event_outcome_check" check ("outcome" in ('APPLIED', 'STALE', 'IGNORED', 'REJECTED'));`);

    this.addSql(`alter table "billing_account" add constraint "billing_account_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "billing_event" cascade;`);
    this.addSql(`drop table if exists "billing_account" cascade;`);

    this.addSql(`alter table "licence" drop constraint "licence_status_check";`);
    this.addSql(`alter table "licence" drop column "status", drop column "grace_ends_at";`);
  }

}
