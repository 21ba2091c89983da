import { Migration } from '@mikro-orm/migrations';

export class Migration20261208001500_sip_trunk_sources extends Migration {

  override name = 'Migration20261208001500_sip_trunk_sources';

  override up(): void | Promise<void> {
    // Kamailio's permissions module reads trunks' source addresses (group 1) from this view, with the
    // columns of its `address` table (5.6, version 6), so it can refuse an INVITE from anywhere else
    // before asking the API. Entries are canonical already (allow-list.ts: "a.b.c.d" or "a.b.c.d/n").
    this.addSql(`create view kamailio.address as
  select (row_number() over (order by t.id, s.src))::int as id, 1 as grp,
         split_part(s.src, '/', 1)::varchar(50) as ip_addr,
         coalesce(nullif(split_part(s.src, '/', 2), '')::int, case when strpos(s.src, ':') > 0 then 128 else 32 end) as mask,
         0 as port, null::varchar(64) as tag
    from public.sip_trunk t cross join lateral jsonb_array_elements_text(t.allowed_sources) as s(src)
   where t.active;`);
    this.addSql(`insert into kamailio.version (table_name, table_version) values ('address', 6);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from kamailio.version where table_name = 'address';`);
    this.addSql(`drop view if exists kamailio.address;`);
  }

}
