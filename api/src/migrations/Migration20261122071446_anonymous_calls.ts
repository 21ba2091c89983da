import { Migration } from '@mikro-orm/migrations';

export class Migration20261122071446_anonymous_calls extends Migration {

  override name = 'Migration20261122071446_anonymous_calls';

  override up(): void | Promise<void> {
    this.addSql(`alter table "campaign" add "anonymous_calls" text not null default 'ACCEPT';`);
    this.addSql(`alter table "campaign" add constraint "campaign_anonymous_calls_check" check ("anonymous_calls" in ('ACCEPT', 'REJECT'));`);

    this.addSql(`alter table "call" alter column "from_number" drop not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "call" alter column "from_number" set not null;`);

    this.addSql(`alter table "campaign" drop constraint "campaign_anonymous_calls_check";`);
    this.addSql(`alter table "campaign" drop column "anonymous_calls";`);
  }

}
