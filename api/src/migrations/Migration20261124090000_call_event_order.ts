import { Migration } from '@mikro-orm/migrations';

export class Migration20261124090000_call_event_order extends Migration {

  override name = 'Migration20261124090000_call_event_order';

  override up(): void | Promise<void> {
    this.addSql(`alter table "call" add column "sip_ended_at" timestamptz null, add column "sip_event_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "call" drop column "sip_ended_at", drop column "sip_event_at";`);
  }

}
