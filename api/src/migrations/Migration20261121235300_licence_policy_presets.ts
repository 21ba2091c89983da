import { Migration } from '@mikro-orm/migrations';

/** The licence policy presets from DOMAIN.md, as data the operator can assign per tenant. */
export class Migration20261121235300_licence_policy_presets extends Migration {
  override name = 'Migration20261121235300_licence_policy_presets';

  override up(): void {
    this.addSql(`insert into "licence_policy"
      ("key", "name", "min_seats", "seat_step", "min_term_months", "channels_per_seat", "allows_pbx_users") values
      ('CLOUD', 'Cloud: at least 5 seats, steps of 1, month to month', 5, 1, 1, 5, true),
      ('ON_PREMISES', 'On-premises or own cloud: at least 10 seats, steps of 5', 10, 5, 1, 5, false),
      ('UCONTACT', 'uContact: at least 10 concurrent agents, 36-month term', 10, 1, 36, 5, false)
      on conflict ("key") do nothing;`);
  }

  override down(): void {
    this.addSql(`delete from "licence_policy" where "key" in ('CLOUD', 'ON_PREMISES', 'UCONTACT');`);
  }
}
