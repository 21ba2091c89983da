import { Migration } from '@mikro-orm/migrations';

export class Migration20261122024800_sip_runtime extends Migration {

  override name = 'Migration20261122024800_sip_runtime';

  override up(): void | Promise<void> {
    this.addSql(`create table "sip_registration" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "contact" varchar(512) not null, "transport" varchar(8) not null, "user_agent" varchar(255) null, "expires_at" timestamptz not null, "registered_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "sip_registration_tenant_id_index" on "sip_registration" ("tenant_id");`);
    this.addSql(`create index "sip_registration_user_id_index" on "sip_registration" ("user_id");`);
    this.addSql(`alter table "sip_registration" add constraint "sip_registration_user_id_contact_unique" unique ("user_id", "contact");`);

    this.addSql(`alter table "sip_registration" add constraint "sip_registration_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "sip_registration" add constraint "sip_registration_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);

    // Kamailio's own tables, from /usr/share/kamailio/postgres/{standard,auth_db,usrloc}-create.sql
    // (5.6), in their own schema: Kamailio selects it with search_path, MikroORM never looks at it.
    this.addSql(`create schema if not exists "kamailio";`);
    this.addSql(`create table kamailio.version (id serial primary key not null, table_name varchar(32) not null, table_version integer default 0 not null, constraint version_table_name_idx unique (table_name));`);
    this.addSql(`create table kamailio.subscriber (id serial primary key not null, username varchar(64) default '' not null, domain varchar(64) default '' not null, password varchar(64) default '' not null, ha1 varchar(128) default '' not null, ha1b varchar(128) default '' not null, constraint subscriber_account_idx unique (username, domain));`);
    this.addSql(`create index subscriber_username_idx on kamailio.subscriber (username);`);
    // Ours: whose account it is (removed with the user), and until when the issued password works.
    this.addSql(`alter table kamailio.subscriber add column tenant_id uuid not null references public.tenant (id) on delete cascade, add column user_id uuid not null unique references public.app_user (id) on delete cascade, add column expires_at timestamptz not null default now();`);
    // What Kamailio authenticates against: only accounts whose short-lived password is still valid.
    this.addSql(`create view kamailio.subscriber_live as select id, username, domain, password, ha1, ha1b from kamailio.subscriber where expires_at > now();`);
    this.addSql(`create table kamailio.location (id serial primary key not null, ruid varchar(64) default '' not null, username varchar(64) default '' not null, domain varchar(64) default null, contact varchar(512) default '' not null, received varchar(128) default null, path varchar(512) default null, expires timestamp without time zone default '2030-05-28 21:32:15' not null, q real default 1.0 not null, callid varchar(255) default 'Default-Call-ID' not null, cseq integer default 1 not null, last_modified timestamp without time zone default '2000-01-01 00:00:01' not null, flags integer default 0 not null, cflags integer default 0 not null, user_agent varchar(255) default '' not null, socket varchar(64) default null, methods integer default null, instance varchar(255) default null, reg_id integer default 0 not null, server_id integer default 0 not null, connection_id integer default 0 not null, keepalive integer default 0 not null, partition integer default 0 not null, constraint location_ruid_idx unique (ruid));`);
    this.addSql(`create index location_account_contact_idx on kamailio.location (username, domain, contact);`);
    this.addSql(`create index location_expires_idx on kamailio.location (expires);`);
    this.addSql(`create index location_tcpcon_idx on kamailio.location (connection_id);`);
    this.addSql(`create index location_connection_idx on kamailio.location (server_id, connection_id);`);
    this.addSql(`create table kamailio.location_attrs (id serial primary key not null, ruid varchar(64) default '' not null, username varchar(64) default '' not null, domain varchar(64) default null, aname varchar(64) default '' not null, atype integer default 0 not null, avalue varchar(512) default '' not null, last_modified timestamp without time zone default '2000-01-01 00:00:01' not null);`);
    this.addSql(`create index location_attrs_account_record_idx on kamailio.location_attrs (username, domain, ruid);`);
    this.addSql(`create index location_attrs_last_modified_idx on kamailio.location_attrs (last_modified);`);
    this.addSql(`insert into kamailio.version (table_name, table_version) values ('version', 1), ('subscriber', 7), ('subscriber_live', 7), ('location', 9), ('location_attrs', 1);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop schema if exists "kamailio" cascade;`);
    this.addSql(`drop table if exists "sip_registration" cascade;`);
  }

}
