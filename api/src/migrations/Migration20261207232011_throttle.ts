import { Migration } from '@mikro-orm/migrations';

export class Migration20261207232011_throttle extends Migration {

  override name = 'Migration20261207232011_throttle';

  override up(): void | Promise<void> {
    this.addSql(`create table "throttle" ("key" varchar(200) not null, "hits" int not null, "window_start" timestamptz not null, "strikes" int not null default 0, "blocked_until" timestamptz null, "expires_at" timestamptz not null, primary key ("key"));`);
    this.addSql(`create index "throttle_expires_at_index" on "throttle" ("expires_at");`);

    // One call per hit: counts it in the key's window and, over the limit, blocks the key for
    // block x 2^strikes seconds (at most max_block). Strikes are forgotten after a quiet max_block.
    this.addSql(`create or replace function throttle_take(p_key text, p_now timestamptz, p_limit int, p_window int, p_block int, p_max_block int)
  returns table (allowed boolean, retry_after int) language plpgsql as $fn$
declare
  r throttle%rowtype;
  wait int;
begin
  insert into throttle (key, hits, window_start, strikes, blocked_until, expires_at)
    values (p_key, 0, p_now, 0, null, p_now) on conflict (key) do nothing;
  select * into r from throttle where key = p_key for update;
  if r.blocked_until is not null and r.blocked_until > p_now then
    return query select false, ceil(extract(epoch from r.blocked_until - p_now))::int;
    return;
  end if;
  if r.blocked_until is not null and r.blocked_until + make_interval(secs => p_max_block) <= p_now then
    r.strikes := 0;
  end if;
  if r.window_start + make_interval(secs => p_window) <= p_now then
    r.hits := 0;
    r.window_start := p_now;
  end if;
  r.hits := r.hits + 1;
  wait := 0;
  if r.hits > p_limit then
    wait := least(p_max_block::bigint, p_block::bigint * (2::bigint ^ least(r.strikes, 30)))::int;
    r.blocked_until := p_now + make_interval(secs => wait);
    r.strikes := r.strikes + 1;
    r.hits := 0;
    r.window_start := p_now;
  end if;
  update throttle set hits = r.hits, window_start = r.window_start, strikes = r.strikes, blocked_until = r.blocked_until,
         expires_at = greatest(r.window_start + make_interval(secs => p_window),
                               coalesce(r.blocked_until, p_now) + make_interval(secs => p_max_block))
   where key = p_key;
  return query select wait = 0, wait;
end
$fn$;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop function if exists throttle_take(text, timestamptz, int, int, int, int);`);
    this.addSql(`drop table if exists "throttle" cascade;`);
  }

}
