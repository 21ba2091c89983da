import { Migration } from '@mikro-orm/migrations';

export class Migration20261122013115_retention extends Migration {

  override name = 'Migration20261122013115_retention';

  override up(): void | Promise<void> {
    this.addSql(`alter table "tenant" add "retention_months" int not null default 12;`);

    this.addSql(`alter table "interaction" add "transcript_purged_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "interaction" drop column "transcript_purged_at";`);

    this.addSql(`alter table "tenant" drop column "retention_months";`);
  }

}
