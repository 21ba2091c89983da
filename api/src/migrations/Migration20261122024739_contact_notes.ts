import { Migration } from '@mikro-orm/migrations';

export class Migration20261122024739_contact_notes extends Migration {

  override name = 'Migration20261122024739_contact_notes';

  override up(): void | Promise<void> {
    this.addSql(`create table "contact_note" ("id" uuid not null, "tenant_id" uuid not null, "contact_id" uuid not null, "author_id" uuid null, "api_key_id" uuid null, "body" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "contact_note_contact_id_index" on "contact_note" ("contact_id");`);

    this.addSql(`alter table "contact_note" add constraint "contact_note_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`);
    this.addSql(`alter table "contact_note" add constraint "contact_note_contact_id_foreign" foreign key ("contact_id") references "contact" ("id") on delete cascade;`);
    this.addSql(`alter table "contact_note" add constraint "contact_note_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "contact_note" add constraint "contact_note_api_key_id_foreign" foreign key ("api_key_id") references "api_key" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "contact_note" cascade;`);
  }

}
