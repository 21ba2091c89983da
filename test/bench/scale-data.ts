/**
 * Bulk history for `bench:scale`, written with SQL (generate_series) straight into a migrated
 * database: agents, supervisors, queues and their members, agent states, sessions, contacts and
 * identifiers, interactions over `months` months with their messages and offers, and tickets.
 * Ids are UUIDv7 made from each row's own time, as the API makes them (api/src/platform/ids.ts:
 * 48 bits of Unix milliseconds, version 7, RFC 9562 variant, random rest), so id order is time
 * order. Every constraint holds (checks, foreign keys, unique emails, identifiers, token hashes
 * and ticket numbers). Calls are not generated: no measured operation reads them.
 */
import type pg from 'pg';

export interface TenantSize {
  agents: number;
  supervisors: number;
  queues: number;
  /** Months of history (the retention period is 12: the oldest month is past it). */
  months: number;
  interactions: number;
  contacts: number;
  sessions: number;
  tickets: number;
}

/** The issue's shape at factor 1: one 300-agent tenant and three neighbours, 2.6 M interactions in all. */
export const LARGE: TenantSize = { agents: 300, supervisors: 15, queues: 21, months: 13, interactions: 2_000_000, contacts: 200_000, sessions: 150_000, tickets: 40_000 };
export const NEIGHBOUR: TenantSize = { agents: 40, supervisors: 3, queues: 4, months: 13, interactions: 200_000, contacts: 20_000, sessions: 10_000, tickets: 3_300 };
/** What the demo seed feels like: never scaled. */
export const DEMO: TenantSize = { agents: 12, supervisors: 2, queues: 3, months: 13, interactions: 3_000, contacts: 600, sessions: 400, tickets: 60 };

/** History counts times `factor` (at least 1 each); people and queues keep the tenant's shape. */
export const scaled = (size: TenantSize, factor: number): TenantSize => ({
  ...size,
  interactions: Math.max(1, Math.round(size.interactions * factor)),
  contacts: Math.max(1, Math.round(size.contacts * factor)),
  sessions: Math.max(1, Math.round(size.sessions * factor)),
  tickets: Math.max(1, Math.round(size.tickets * factor)),
});

export const FIRST_NAMES = ['Maria', 'Jean', 'Ahmed', 'Lucia', 'Kenji', 'Amara', 'Oliver', 'Sofia', 'Ivan', 'Chloe', 'Mateo', 'Aisha', 'Lukas', 'Yuki', 'Omar', 'Emma', 'Diego', 'Nadia', 'Pierre', 'Ingrid'];
export const LAST_NAMES = ['Okafor', 'Tremblay', 'Garcia', 'Nakamura', 'Dubois', 'Kowalski', 'Haddad', 'Silva', 'Lindqvist', 'Moreau', 'Rossi', 'Novak', 'Fischer', 'Gagnon', 'Ibrahim', 'Costa', 'Petrov', 'Larsen', 'Mendes', 'Schulz', 'Bouchard', 'Ortega', 'Yilmaz', 'Murphy', 'Tanaka'];

/** UUIDv7 of a time, in SQL: a v4 UUID's random bits under the time's 48 bits of milliseconds, version bits set to 7. */
const UUID7 = `create or replace function pg_temp.uuid7(t timestamptz) returns uuid language sql volatile as $$
  select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from t) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid $$`;

const arr = (values: string[]) => `array[${values.map((v) => `'${v}'`).join(',')}]`;

/**
 * Fills an existing tenant (made through the API, so its licence, policies and administrator are
 * real) with `size` worth of history ending at `now`. Returns the rows written per table.
 */
export async function generateTenant(db: pg.Client, tenantId: string, slug: string, size: TenantSize, now: Date): Promise<Record<string, number>> {
  await db.query(UUID7);
  const p = [tenantId, now.toISOString()];
  const out: Record<string, number> = {};
  const run = async (table: string, sql: string, params: unknown[] = p) => {
    const used = Math.max(...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    const r = await db.query(sql, params.slice(0, used));
    out[table] = (out[table] ?? 0) + (r.rowCount ?? 0);
  };
  await db.query('begin');
  try {
    await run('app_user', `insert into app_user (id, tenant_id, email, name, role, status, created_at)
      select pg_temp.uuid7($2::timestamptz - interval '400 days' + g * interval '1 minute'), $1, role || g || '@${slug}.example', initcap(role) || ' ' || g,
             upper(role), 'ACTIVE', $2::timestamptz - interval '400 days' + g * interval '1 minute'
        from (select g, case when g <= $3::int then 'agent' else 'supervisor' end as role from generate_series(1, $3::int + $4::int) g) u`,
    [...p, size.agents, size.supervisors]);
    await run('queue', `insert into queue (id, tenant_id, name, strategy, wrap_up_seconds, service_level_seconds, created_at)
      select pg_temp.uuid7($2::timestamptz - interval '400 days'), $1, 'Queue ' || lpad(g::text, 2, '0'), case when g % 3 = 0 then 'ROUND_ROBIN' else 'LONGEST_IDLE' end, 30, 20,
             $2::timestamptz - interval '400 days' from generate_series(1, $3::int) g`, [...p, size.queues]);
    // every agent in three queues
    await run('queue_member', `with a as (select id, row_number() over (order by id) as n from app_user where tenant_id = $1 and role = 'AGENT'),
           q as (select id, row_number() over (order by id) - 1 as n, count(*) over () as c from queue where tenant_id = $1)
      insert into queue_member (queue_id, user_id, tenant_id)
      select distinct q.id, a.id, $1::uuid from a cross join generate_series(0, 2) k join q on q.n = (a.n + k * 7) % q.c`);
    await run('agent_state', `insert into agent_state (user_id, tenant_id, status, pause_reason, since, idle_since, written_capacity, wrap_up_ends_at)
      select id, $1, s, case when s = 'PAUSED' then 'Break' end, $2::timestamptz - interval '30 minutes' * random(), $2::timestamptz - interval '30 minutes' * random(), 3,
             case when s = 'WRAP_UP' then $2::timestamptz + interval '30 seconds' end
        from (select id, (array['AVAILABLE','AVAILABLE','BUSY','BUSY','BUSY','PAUSED','WRAP_UP','OFFLINE'])[1 + (row_number() over (order by id))::int % 8] as s
                from app_user where tenant_id = $1 and role = 'AGENT') a`);
    // sessions over the whole history (most revoked or expired), plus one live seat-holding session per signed-in agent
    await run('session', `with a as (select array_agg(id order by id) as ids from app_user where tenant_id = $1 and role = 'AGENT')
      insert into session (id, tenant_id, user_id, refresh_token_hash, holds_seat, created_at, last_used_at, expires_at, revoked_at)
      select pg_temp.uuid7(at), $1, a.ids[1 + floor(random() * cardinality(a.ids))::int], encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'),
             true, at, at + interval '7 hours', at + interval '12 hours', case when random() < 0.9 then at + interval '8 hours' end
        from a, (select $2::timestamptz - interval '13 months' + (g - random()) * (interval '13 months' - interval '1 day') / $3::int as at from generate_series(1, $3::int) g) s`,
    [...p, size.sessions]);
    await run('session', `insert into session (id, tenant_id, user_id, refresh_token_hash, holds_seat, created_at, last_used_at, expires_at)
      select pg_temp.uuid7($2::timestamptz - interval '2 hours'), $1, user_id, encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'), true,
             $2::timestamptz - interval '2 hours', $2, $2::timestamptz + interval '6 hours'
        from agent_state where tenant_id = $1 and status <> 'OFFLINE'`);
    await run('contact', `insert into contact (id, tenant_id, name, created_at)
      select pg_temp.uuid7(at), $1, (${arr(FIRST_NAMES)})[1 + g % ${FIRST_NAMES.length}] || ' ' || (${arr(LAST_NAMES)})[1 + (g / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}], at
        from (select g, $2::timestamptz - interval '14 months' + g * interval '14 months' / $3::int as at from generate_series(1, $3::int) g) c`,
    [...p, size.contacts]);
    // a phone number each (+1 514 ...), an e-mail address for one in four
    await run('contact_identifier', `insert into contact_identifier (id, tenant_id, contact_id, kind, value)
      select pg_temp.uuid7(created_at), $1, id, 'PHONE', '+1514' || lpad(n::text, 7, '0')
        from (select id, created_at, row_number() over (order by id) as n from contact where tenant_id = $1) c`, [tenantId]);
    await run('contact_identifier', `insert into contact_identifier (id, tenant_id, contact_id, kind, value)
      select pg_temp.uuid7(created_at), $1, id, 'EMAIL', 'customer' || n || '@mail.example'
        from (select id, created_at, row_number() over (order by id) as n from contact where tenant_id = $1) c where n % 4 = 0`, [tenantId]);
    // Interactions, oldest first: the last 2 minutes' are still waiting or being handled; those past
    // the 12-month retention (but for the last day's, due tonight) had their transcripts purged already.
    await run('interaction', `with a as (select array_agg(id order by id) as ids from app_user where tenant_id = $1 and role = 'AGENT'),
           q as (select array_agg(id order by id) as ids from queue where tenant_id = $1),
           c as (select array_agg(id order by id) as ids from contact where tenant_id = $1),
           t as (select g, $2::timestamptz - make_interval(months => $4::int) + (g - random()) * (make_interval(months => $4::int) - interval '1 minute') / $3::int as at, random() as r, random() as s
                   from generate_series(1, $3::int) g)
      insert into interaction (id, tenant_id, channel, direction, state, customer_address, contact_id, queue_id, agent_id, subject,
                               created_at, queued_at, offered_at, answered_at, ended_at, transcript_purged_at)
      select pg_temp.uuid7(at), $1, channel, 'INBOUND', state, null, c.ids[1 + floor(random() * cardinality(c.ids))::int], q.ids[1 + floor(random() * cardinality(q.ids))::int],
             case when state <> 'QUEUED' and state <> 'ABANDONED' then a.ids[1 + floor(random() * cardinality(a.ids))::int] end,
             case when channel = 'EMAIL' then 'Order question ' || g end, at, at,
             case when state not in ('QUEUED', 'ABANDONED') then at + interval '2 seconds' end,
             case when state not in ('QUEUED', 'ABANDONED') then at + interval '1 second' * (5 + floor(s * 60)) end,
             case when state in ('CLOSED', 'ABANDONED') then at + interval '1 second' * (90 + floor(s * 600)) end,
             case when at < $2::timestamptz - interval '12 months' - interval '1 day' then at + interval '12 months' + interval '1 day' end
        from a, q, c, (select g, at, s, case when r < 0.25 then 'VOICE' when r < 0.55 then 'WEBCHAT' when r < 0.75 then 'EMAIL' when r < 0.9 then 'WHATSAPP' when r < 0.95 then 'SMS' else 'FACEBOOK' end as channel,
                             case when at > $2::timestamptz - interval '2 minutes' then (array['QUEUED','ACTIVE','WRAP_UP'])[1 + g % 3]
                                  when s < 0.08 then 'ABANDONED' else 'CLOSED' end as state from t) i`,
    [...p, size.interactions, size.months]);
    // 2 to 9 messages per written conversation whose transcript is kept
    await run('message', `insert into message (id, tenant_id, interaction_id, sender, author_id, body, delivery_state, created_at)
      select pg_temp.uuid7(i.created_at + k * interval '20 seconds'), $1, i.id, case when k % 2 = 1 and i.agent_id is not null then 'AGENT' else 'CUSTOMER' end,
             case when k % 2 = 1 then i.agent_id end, 'Message ' || k || ' about order ' || (hashtext(i.id::text) & 65535), 'READ', i.created_at + k * interval '20 seconds'
        from interaction i cross join lateral generate_series(0, 1 + (hashtext(i.id::text) & 7)) k
       where i.tenant_id = $1 and i.channel <> 'VOICE' and i.transcript_purged_at is null`, [tenantId]);
    await run('interaction_offer', `insert into interaction_offer (id, tenant_id, interaction_id, agent_id, queue_id, offered_at, outcome, decided_at)
      select pg_temp.uuid7(offered_at), $1, id, agent_id, queue_id, offered_at, 'ACCEPTED', answered_at
        from interaction where tenant_id = $1 and agent_id is not null`, [tenantId]);
    await run('ticket', `insert into ticket (id, tenant_id, number, kind, title, description, status, policy_key, filed_at, closed_at, closure_reason, updated_at)
      select pg_temp.uuid7(at), $1, 'B${slug.slice(0, 8).toUpperCase()}-' || lpad(g::text, 7, '0'), 'QUESTION', 'Question ' || g, 'How do I ' || g || '?', st, 'UCONTACT', at,
             case when st = 'CLOSED' then at + interval '2 days' end, case when st = 'CLOSED' then 'SOLUTION_PROVIDED' end, at
        from (select g, $2::timestamptz - interval '13 months' + (g - random()) * interval '13 months' / $3::int as at,
                     case when g % 20 < 2 then 'OPEN' when g % 20 < 4 then 'IN_PROGRESS' when g % 20 < 5 then 'WAITING_ON_CUSTOMER' else 'CLOSED' end as st
                from generate_series(1, $3::int) g) t`, [...p, size.tickets]);
    await db.query('commit');
  } catch (err) {
    await db.query('rollback');
    throw err;
  }
  return out;
}
