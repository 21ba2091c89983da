/**
 * What `bench:scale` times: the lists, searches, statistics, sweeps and jobs a CRM, a supervisor,
 * an agent and the platform run, each with its budget (issue 20) and a check of its answer
 * against the rows themselves (the smoke test runs every check; the bench runs them once per
 * tenant before timing). GraphQL operations go over HTTP as clients send them; the routing sweep
 * and the retention purge are called as their timers call them.
 */
import assert from 'node:assert/strict';
import type pg from 'pg';
import type { App } from '../../api/src/platform/context.js';

export interface Target {
  url: string;
  token: string;
  tenantId: string;
  app: App;
  db: pg.Client;
  /** Ids picked once per tenant so every sample asks the same question. */
  picks: Picks;
}

export interface Picks {
  queueId: string;
  contactId: string;
  surname: string;
  phone: string;
  /** A cursor in the middle of the history (from an earlier page), for deep pages. */
  deepCursor: string;
}

export interface Operation {
  name: string;
  /** p99 budget at the large size, in ms. */
  budgetMs: number;
  run(t: Target): Promise<unknown>;
  check(t: Target, answer: any): Promise<void>;
}

type Node = { id: string; createdAt: string; state: string; channel: string };
type Page = { edges: { node: Node; cursor: string }[]; totalCount?: number; pageInfo: { endCursor: string | null } };

/** Times the API's readiness gate was found closed (its one-second database ping missed under load); reported by the bench. */
export const gate = { closed: 0 };

/** Waits until the API's readiness answers 200 (at most a minute). */
export async function untilReady(url: string): Promise<void> {
  const until = Date.now() + 60_000;
  while ((await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) !== 200) {
    if (Date.now() > until) throw new Error('the API did not become ready within a minute');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A GraphQL request that throws on errors; SERVICE_UNAVAILABLE (the gate) is retried once the API is ready again. */
export async function gql<T = any>(t: { url: string; token: string }, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(t.token && { authorization: `Bearer ${t.token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await response.json()) as { data?: T; errors?: { extensions?: { code?: string } }[] };
    if (result.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE' && attempt < 5) {
      gate.closed++;
      await untilReady(t.url);
      continue;
    }
    if (result.errors?.length || !result.data) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(result.errors)}`);
    return result.data;
  }
}

const one = async <T = any>(db: pg.Client, sql: string, params: unknown[]): Promise<T> => (await db.query(sql, params)).rows[0] as T;
const DAY = 86_400_000;
const NODE = 'id createdAt state channel';

const interactions = (t: Target, filter: Record<string, unknown>, extra: { after?: string; totalCount?: boolean } = {}) =>
  gql<{ interactions: Page }>(
    t,
    `query($filter: InteractionFilter, $after: String) { interactions(filter: $filter, after: $after, first: 20) {
       ${extra.totalCount ? 'totalCount' : ''} edges { cursor node { ${NODE} } } pageInfo { endCursor } } }`,
    { filter, after: extra.after },
  ).then((r) => r.interactions);

/** A page is in (created at, id) order, holds only rows that pass `ok`, and is full unless the SQL count says fewer match. */
async function checkPage(t: Target, page: Page, ok: (n: Node) => boolean, where: string, params: unknown[]) {
  const nodes = page.edges.map((e) => e.node);
  for (const n of nodes) assert.ok(ok(n), `unexpected row ${JSON.stringify(n)}`);
  for (let i = 1; i < nodes.length; i++) assert.ok(nodes[i - 1].createdAt <= nodes[i].createdAt, 'rows out of order');
  const { n } = await one<{ n: string }>(t.db, `select count(*) as n from interaction where tenant_id = $1 and ${where}`, [t.tenantId, ...params]);
  assert.equal(nodes.length, Math.min(20, Number(n)));
}

const range = (fromDaysAgo: number, toDaysAgo: number) => {
  const now = Date.now();
  return { from: new Date(now - fromDaysAgo * DAY).toISOString(), to: new Date(now - toDaysAgo * DAY).toISOString() };
};
const inRange = (r: { from: string; to: string }) => (n: Node) => n.createdAt >= r.from && n.createdAt < r.to;
const last7 = () => range(7, 0);
const fiveMonthsBack = () => range(152, 122);

export const OPERATIONS: Operation[] = [
  {
    name: 'queueStats, all queues',
    budgetMs: 50,
    run: (t) => gql(t, '{ queueStats { queueId waiting offeredToday answeredToday abandonedToday serviceLevel averageHandleSeconds agentsAvailable agentsOffline } }'),
    async check(t, r) {
      const { queues, offered } = await one(t.db, `select (select count(*) from queue where tenant_id = $1) as queues,
        (select count(*) from interaction where tenant_id = $1 and queued_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' and queued_at <= now()) as offered`, [t.tenantId]);
      assert.equal(r.queueStats.length, Number(queues));
      assert.equal(r.queueStats.reduce((s: number, q: { offeredToday: number }) => s + q.offeredToday, 0), Number(offered));
    },
  },
  {
    name: 'queueStats, one queue',
    budgetMs: 50,
    run: (t) => gql(t, 'query($q: [ID!]) { queueStats(queueIds: $q) { queueId waiting offeredToday answeredToday serviceLevel } }', { q: [t.picks.queueId] }),
    async check(t, r) {
      assert.deepEqual(r.queueStats.map((q: { queueId: string }) => q.queueId), [t.picks.queueId]);
    },
  },
  {
    name: 'interactions, last 7 days',
    budgetMs: 100,
    run: (t) => interactions(t, last7()),
    check: (t, page) => checkPage(t, page, inRange(last7()), 'created_at >= $2 and created_at < $3', [last7().from, last7().to]),
  },
  {
    name: 'interactions, a month 5 months back',
    budgetMs: 100,
    run: (t) => interactions(t, fiveMonthsBack()),
    check: (t, page) => checkPage(t, page, inRange(fiveMonthsBack()), 'created_at >= $2 and created_at < $3', [fiveMonthsBack().from, fiveMonthsBack().to]),
  },
  {
    name: 'interactions, deep page',
    budgetMs: 100,
    run: (t) => interactions(t, {}, { after: t.picks.deepCursor }),
    async check(t, page: Page) {
      assert.equal(page.edges.length, 20);
      const cursor = Buffer.from(t.picks.deepCursor, 'base64url').toString().replace(/^id:/, '');
      assert.ok(page.edges.every((e) => e.node.id !== cursor));
    },
  },
  {
    name: 'interactions, CLOSED, deep page',
    budgetMs: 100,
    run: (t) => interactions(t, { state: 'CLOSED' }, { after: t.picks.deepCursor }),
    check: async (t, page: Page) => assert.ok(page.edges.length === 20 && page.edges.every((e) => e.node.state === 'CLOSED')),
  },
  {
    name: 'interactions, EMAIL, deep page',
    budgetMs: 100,
    run: (t) => interactions(t, { channel: 'EMAIL' }, { after: t.picks.deepCursor }),
    check: async (t, page: Page) => assert.ok(page.edges.length === 20 && page.edges.every((e) => e.node.channel === 'EMAIL')),
  },
  {
    name: 'interactions, EMAIL, last 7 days',
    budgetMs: 100,
    run: (t) => interactions(t, { channel: 'EMAIL', ...last7() }),
    check: (t, page) => checkPage(t, page, (n) => n.channel === 'EMAIL' && inRange(last7())(n), "channel = 'EMAIL' and created_at >= $2 and created_at < $3", [last7().from, last7().to]),
  },
  {
    name: "a contact's timeline",
    budgetMs: 100,
    run: (t) => interactions(t, { contactId: t.picks.contactId }),
    check: (t, page) => checkPage(t, page, () => true, 'contact_id = $2', [t.picks.contactId]),
  },
  {
    name: 'interactions, totalCount asked',
    budgetMs: 100,
    run: (t) => interactions(t, { state: 'CLOSED' }, { totalCount: true }),
    async check(t, page: Page) {
      const { n } = await one(t.db, "select count(*) as n from interaction where tenant_id = $1 and state = 'CLOSED'", [t.tenantId]);
      assert.equal(page.totalCount, Number(n));
    },
  },
  {
    name: 'contacts, search by name',
    budgetMs: 100,
    run: (t) => gql(t, 'query($s: String) { contacts(search: $s, first: 20) { edges { node { id name } } } }', { s: t.picks.surname.toLowerCase() }),
    async check(t, r) {
      const { n } = await one(t.db, 'select count(*) as n from contact where tenant_id = $1 and name ilike $2', [t.tenantId, `%${t.picks.surname}%`]);
      assert.equal(r.contacts.edges.length, Math.min(20, Number(n)));
      assert.ok(r.contacts.edges.every((e: { node: { name: string } }) => e.node.name.includes(t.picks.surname)));
    },
  },
  {
    name: 'contacts, search by phone',
    budgetMs: 100,
    run: (t) => gql(t, 'query($s: String) { contacts(search: $s, first: 20) { edges { node { id } } } }', { s: t.picks.phone }),
    async check(t, r) {
      assert.deepEqual(r.contacts.edges.map((e: { node: { id: string } }) => e.node.id), [t.picks.contactId]);
    },
  },
  {
    name: 'agentStates',
    budgetMs: 100,
    run: (t) => gql(t, '{ agentStates(first: 100) { totalCount edges { node { userId status } } } }'),
    async check(t, r) {
      const { n } = await one(t.db, "select count(*) as n from app_user where tenant_id = $1 and role = 'AGENT'", [t.tenantId]);
      assert.equal(r.agentStates.totalCount, Number(n));
    },
  },
  {
    name: 'tickets, status OPEN',
    budgetMs: 100,
    run: (t) => gql(t, '{ tickets(status: OPEN, first: 20) { edges { node { id status } } } }'),
    async check(t, r) {
      const { n } = await one(t.db, "select count(*) as n from ticket where tenant_id = $1 and status = 'OPEN'", [t.tenantId]);
      assert.equal(r.tickets.edges.length, Math.min(20, Number(n)));
      assert.ok(r.tickets.edges.every((e: { node: { status: string } }) => e.node.status === 'OPEN'));
    },
  },
];

/** Platform work (every tenant at once): timed once per size, not per tenant. */
export const PLATFORM_OPERATIONS: Operation[] = [
  {
    name: 'routing sweep',
    budgetMs: 20,
    run: async (t) => {
      const { sweep } = await import('../../api/src/modules/routing/sweep.js');
      await sweep(t.app);
      return true;
    },
    check: async () => {},
  },
];

/** The ids and a deep cursor the operations ask about, read from the tenant's rows. */
export async function pick(t: Omit<Target, 'picks'>): Promise<Picks> {
  const contact = await one<{ id: string; name: string; phone: string }>(
    t.db,
    `select c.id, c.name, i.value as phone from contact c join contact_identifier i on i.contact_id = c.id and i.kind = 'PHONE'
      where c.tenant_id = $1 and exists (select 1 from interaction x where x.tenant_id = $1 and x.contact_id = c.id) order by c.id limit 1`,
    [t.tenantId],
  );
  const queue = await one<{ id: string }>(t.db, 'select id from queue where tenant_id = $1 order by name limit 1', [t.tenantId]);
  const base = { ...t, picks: { queueId: queue.id, contactId: contact.id, surname: contact.name.split(' ')[1]!, phone: contact.phone, deepCursor: '' } };
  // the first interaction of 200 days ago: a cursor as a page ending there would give
  const deep = await one<{ id: string }>(t.db, "select id from interaction where tenant_id = $1 and created_at >= now() - interval '200 days' order by created_at, id limit 1", [t.tenantId]);
  base.picks.deepCursor = Buffer.from(`id:${deep.id}`).toString('base64url');
  return base.picks;
}
