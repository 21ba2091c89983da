import { Migration } from '@mikro-orm/migrations';

export class Migration20261208200000_call_waiting extends Migration {

  override name = 'Migration20261208200000_call_waiting';

  override up(): void | Promise<void> {
    // how long a caller may wait with music for an agent of the queue (null: never held, the
    // campaign's no-agent answer at once, as before)
    this.addSql(`alter table "queue" add column "call_wait_seconds" int null, add column "missed_call_pause" boolean not null default true;`);
    // the caller's From-tag (rtpengine names the caller's side by it) and whether the caller hears
    // music on hold (rtpengine holds an early-media session for it)
    this.addSql(`alter table "call" add column "from_tag" varchar(128) null, add column "held_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "call" drop column "from_tag", drop column "held_at";`);
    this.addSql(`alter table "queue" drop column "call_wait_seconds", drop column "missed_call_pause";`);
  }

}
