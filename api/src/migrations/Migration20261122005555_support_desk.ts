import { Migration } from '@mikro-orm/migrations';

export class Migration20261122005555_support_desk extends Migration {

  override name = 'Migration20261122005555_support_desk';

  override up(): void | Promise<void> {
    this.addSql(`create table "maintenance_window" ("id" uuid not null, "title" varchar(200) not null, "description" text not null, "component_ids" jsonb not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "in_window" boolean not null, "notice_given_at" timestamptz not null, "cancelled_at" timestamptz null, primary key ("id"));`);

    this.addSql(`create table "status_component" ("id" uuid not null, "name" varchar(120) not null, "description" varchar(500) null, "position" int not null default 0, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "status_component" add constraint "status_component_name_unique" unique ("name");`);

    this.addSql(`create table "status_incident" ("id" uuid not null, "title" varchar(200) not null, "impact" text not null, "phase" text not null, "cause" text not null default 'PLATFORM', "component_ids" jsonb not null, "server_ids" jsonb not null, "started_at" timestamptz not null, "resolved_at" timestamptz null, "monitoring_review_due_at" timestamptz null, "monitoring_reminder_sent_at" timestamptz null, "post_mortem_due_at" timestamptz null, "post_mortem_reminder_sent_at" timestamptz null, "post_mortem" jsonb null, "post_mortem_published_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "status_incident_update" ("id" uuid not null, "incident_id" uuid not null, "phase" text not null, "message" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "status_incident_update_incident_id_index" on "status_incident_update" ("incident_id");`);

    this.addSql(`create table "status_server" ("id" uuid not null, "component_id" uuid not null, "name" varchar(120) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "status_server_component_id_index" on "status_server" ("component_id");`);

    this.addSql(`create table "status_subscriber" ("id" uuid not null, "email" varchar(254) not null, "token" varchar(64) not null, "confirmed_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "status_subscriber" add constraint "status_subscriber_email_unique" unique ("email");`);
    this.addSql(`alter table "status_subscriber" add constraint "status_subscriber_token_unique" unique ("token");`);

    this.addSql(`create table "support_policy" ("key" varchar(40) not null, "name" varchar(120) not null, "active" boolean not null default false, "business_calendar" jsonb not null, "critical_calendar" jsonb null, "severities" jsonb not null, "change_requests" jsonb not null, "escalation" jsonb not null, "warning_minutes" int not null, "maintenance_windows" jsonb not null, "maintenance_notice_days" int not null, "updated_at" timestamptz not null, primary key ("key"));`);

    this.addSql(`create table "ticket" ("id" uuid not null, "tenant_id" uuid not null, "number" varchar(20) not null, "kind" text not null, "title" varchar(200) not null, "description" text not null, "severity" varchar(20) null, "urgency" text null, "status" text not null default 'OPEN', "incident_facts" jsonb null, "attachments" jsonb not null default '[]', "filed_by_user_id" uuid null, "policy_key" varchar(40) not null, "filed_at" timestamptz not null, "filed_outside_hours" boolean not null default false, "clock_started_at" timestamptz null, "response_due_at" timestamptz null, "resolution_due_at" timestamptz null, "responded_at" timestamptz null, "response_breached_at" timestamptz null, "resolution_breached_at" timestamptz null, "paused_at" timestamptz null, "paused_minutes" int not null default 0, "paused_business_minutes" int not null default 0, "escalation_level" int not null default 0, "escalation_acknowledged_at" timestamptz null, "closed_at" timestamptz null, "closure_reason" text null, "closure_note" text null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "ticket_tenant_id_index" on "ticket" ("tenant_id");`);
    this.addSql(`alter table "ticket" add constraint "ticket_number_unique" unique ("number");`);

    this.addSql(`create table "ticket_comment" ("id" uuid not null, "tenant_id" uuid not null, "ticket_id" uuid not null, "author" text not null, "author_user_id" uuid null, "body" text not null, "attachments" jsonb not null default '[]', "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "ticket_comment_ticket_id_index" on "ticket_comment" ("ticket_id");`);

    this.addSql(`create table "ticket_counter" ("year" int not null, "last" int not null, primary key ("year"));`);

    this.addSql(`create table "ticket_escalation" ("id" uuid not null, "tenant_id" uuid not null, "ticket_id" uuid not null, "level" int not null, "title" varchar(120) not null, "email" varchar(254) not null, "notified_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "ticket_escalation_ticket_id_index" on "ticket_escalation" ("ticket_id");`);

    this.addSql(`create table "ticket_timer" ("id" uuid not null, "tenant_id" uuid not null, "ticket_id" uuid not null, "kind" text not null, "level" int null, "due_at" timestamptz not null, "fired_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "ticket_timer_ticket_id_index" on "ticket_timer" ("ticket_id");`);
    this.addSql(`create index "ticket_timer_due_at_index" on "ticket_timer" ("due_at");`);

    this.addSql(`alter table "status_incident" add constraint "status_incident_impact_check" check ("impact" in ('PARTIAL_OUTAGE', 'MAJOR_OUTAGE'));`);
    this.addSql(`alter table "status_incident" add constraint "status_incident_phase_check" check ("phase" in ('INVESTIGATING', 'IDENTIFIED', 'MONITORING', 'RESOLVED'));`);
    this.addSql(`alter table "status_incident" add constraint "status_incident_cause_check" check ("cause" in ('PLATFORM', 'CUSTOMER_NETWORK', 'THIRD_PARTY_NETWORK', 'FORCE_MAJEURE'));`);

    this.addSql(`alter table "status_incident_update" add constraint "status_incident_update_incident_id_foreign" foreign key ("incident_id") references "status_incident" ("id");`);
    this.addSql(`alter table "status_incident_update" add constraint "status_incident_update_phase_check" check ("phase" in ('INVESTIGATING', 'IDENTIFIED', 'MONITORING', 'RESOLVED'));`);

    this.addSql(`alter table "status_server" add constraint "status_server_component_id_foreign" foreign key ("component_id") references "status_component" ("id");`);

    this.addSql(`alter table "ticket" add constraint "ticket_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "ticket" add constraint "ticket_kind_check" check ("kind" in ('INCIDENT', 'CHANGE_REQUEST', 'QUESTION'));`);
    this.addSql(`alter table "ticket" add constraint "ticket_urgency_check" check ("urgency" in ('URGENT', 'STANDARD', 'COMPLEX'));`);
    this.addSql(`alter table "ticket" add constraint "ticket_status_check" check ("status" in ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER', 'CLOSED'));`);
    this.addSql(`alter table "ticket" add constraint "ticket_closure_reason_check" check ("closure_reason" in ('SOLUTION_PROVIDED', 'BUG_ESCALATED_TO_DEVELOPMENT', 'CAUSE_OUTSIDE_PLATFORM', 'CUSTOMER_CONFIRMED', 'CUSTOMER_ARCHIVED'));`);

    this.addSql(`alter table "ticket_comment" add constraint "ticket_comment_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "ticket_comment" add constraint "ticket_comment_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id");`);
    this.addSql(`alter table "ticket_comment" add constraint "ticket_comment_author_check" check ("author" in ('CUSTOMER', 'OPERATOR'));`);

    this.addSql(`alter table "ticket_escalation" add constraint "ticket_escalation_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "ticket_escalation" add constraint "ticket_escalation_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id");`);

    this.addSql(`alter table "ticket_timer" add constraint "ticket_timer_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "ticket_timer" add constraint "ticket_timer_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id");`);
    this.addSql(`alter table "ticket_timer" add constraint "ticket_timer_kind_check" check ("kind" in ('RESPONSE_WARNING', 'RESPONSE_BREACH', 'RESOLUTION_WARNING', 'RESOLUTION_BREACH', 'ESCALATION'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "status_server" drop constraint "status_server_component_id_foreign";`);
    this.addSql(`alter table "status_incident_update" drop constraint "status_incident_update_incident_id_foreign";`);
    this.addSql(`alter table "ticket_comment" drop constraint "ticket_comment_ticket_id_foreign";`);
    this.addSql(`alter table "ticket_escalation" drop constraint "ticket_escalation_ticket_id_foreign";`);
    this.addSql(`alter table "ticket_timer" drop constraint "ticket_timer_ticket_id_foreign";`);

    this.addSql(`drop table if exists "maintenance_window" cascade;`);
    this.addSql(`drop table if exists "status_component" cascade;`);
    this.addSql(`drop table if exists "status_incident" cascade;`);
    this.addSql(`drop table if exists "status_incident_update" cascade;`);
    this.addSql(`drop table if exists "status_server" cascade;`);
    this.addSql(`drop table if exists "status_subscriber" cascade;`);
    this.addSql(`drop table if exists "support_policy" cascade;`);
    this.addSql(`drop table if exists "ticket" cascade;`);
    this.addSql(`drop table if exists "ticket_comment" cascade;`);
    this.addSql(`drop table if exists "ticket_counter" cascade;`);
    this.addSql(`drop table if exists "ticket_escalation" cascade;`);
    this.addSql(`drop table if exists "ticket_timer" cascade;`);
  }

}
