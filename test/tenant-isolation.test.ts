/**
 * Tenant isolation, by construction: walks every query, mutation and subscription a tenant may
 * call, and calls each one that takes an id with another tenant's ids (alone, and mixed with the
 * caller's own ids). Every call must answer NOT_FOUND and the database must not change at all.
 * A new operation joins this suite by existing; nobody has to remember to add it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { GraphQLField, GraphQLSchema } from 'graphql';
import { createSchema } from '../api/src/server/schema.js';
import { Channel } from '../api/src/modules/interactions/index.js';
import { receive } from '../api/src/modules/routing/index.js';
import { argsToSend, hasId, operation, tenantCallable, valueFor } from '../api/src/testing/schema-walk.js';
import { codeOf, startTestApi, type TestApi } from '../api/src/testing/harness.js';
import { createTenant, createUsers, type TenantFixture } from '../api/src/testing/fixtures.js';
import { invite, route } from '../api/src/testing/kamailio-peer.js';

interface Ids { all: string[] }

/** Everything a tenant owns that has an id: created through the API. */
async function populate(api: TestApi, t: TenantFixture): Promise<Ids> {
  const [agent] = await createUsers(api, t.adminToken, 'AGENT', 1);
  const group = await api.ok('mutation { createSecurityGroup(input: { name: "G", permissions: [USERS_READ] }) { id } }', {}, t.adminToken);
  await api.ok('mutation($u: ID!, $g: [ID!]!) { setUserSecurityGroups(userId: $u, securityGroupIds: $g) { id } }', {
    u: agent.id, g: [group.createSecurityGroup.id],
  }, t.adminToken);
  const contact = await api.ok('mutation { createAccountContact(input: { type: TECHNICAL, name: "N", email: "n@example.com" }) { id } }', {}, t.adminToken);
  const key = await api.ok('mutation { createApiKey(input: { name: "k", scopes: [TENANT_READ] }) { apiKey { id } } }', {}, t.adminToken);
  const ticket = await api.ok('mutation { fileTicket(input: { kind: QUESTION, title: "Q", description: "D" }) { id } }', {}, t.adminToken);
  const cc = await contactCentre(api, t);
  return {
    all: [t.id, t.adminId, agent.id, group.createSecurityGroup.id, contact.createAccountContact.id, key.createApiKey.apiKey.id, ticket.fileTicket.id, ...cc],
  };
}

/** Contact-centre configuration and customers: a queue, a campaign, a disposition, a contact, a blacklist entry. */
async function contactCentre(api: TestApi, t: TenantFixture): Promise<string[]> {
  const queue = (await api.ok('mutation { createQueue(input: { name: "Q" }) { id } }', {}, t.adminToken)).createQueue.id;
  const campaign = (
    await api.ok('mutation($q: ID) { createCampaign(input: { name: "C", type: OMNI, timeZone: "UTC", defaultQueueId: $q }) { id } }', { q: queue }, t.adminToken)
  ).createCampaign.id;
  const disposition = (await api.ok('mutation($c: ID!) { createDisposition(campaignId: $c, input: { code: "D", label: "D" }) { id } }', { c: campaign }, t.adminToken)).createDisposition.id;
  const customer = (
    await api.ok('mutation { createContact(input: { name: "P", identifiers: [{ kind: EMAIL, value: "p@example.com" }] }) { id identifiers { id } } }', {}, t.adminToken)
  ).createContact;
  const blocked = (await api.ok('mutation { addBlacklistEntry(input: { kind: PHONE, value: "+15145550199" }) { id } }', {}, t.adminToken)).addBlacklistEntry.id;
  // a chat arriving from a website (the channel calls routing directly)
  const chat = await receive(api.running.app, t.id, { channel: Channel.WEBCHAT, campaignId: campaign, from: 'isolation-visitor', firstMessage: 'hi' });
  const interaction = chat.outcome === 'CLOSED' ? '' : chat.interaction.id;
  const widget = (await api.ok('mutation($c: ID!) { createWidgetKey(campaignId: $c, allowedOrigins: ["https://isolation.example"]) { id } }', { c: campaign }, t.adminToken)).createWidgetKey.id;
  // telephony: a trunk and a number (unique on the platform) with a call to it (nobody answers: abandoned)
  const trunk = (await api.ok('mutation { createSipTrunk(input: { name: "T", host: "203.0.113.5", allowedSources: ["203.0.113.5"] }) { id } }', {}, t.adminToken)).createSipTrunk.id;
  const number = `+1514555${String(Math.floor(Math.random() * 10000)).padStart(4, '0')}`;
  const did = (await api.ok('mutation($n: String!, $t: ID!, $c: ID) { addDid(input: { number: $n, trunkId: $t, campaignId: $c }) { id } }', { n: number, t: trunk, c: campaign }, t.adminToken)).addDid.id;
  const call = await route(api, invite({ ruriUser: number, sourceIp: '203.0.113.5' }));
  assert.equal(call.action, 'reject');
  return [queue, campaign, disposition, customer.id, customer.identifiers[0].id, blocked, interaction, widget, trunk, did];
}

/** The schemas the application writes: its own tables, Kamailio's (SIP accounts) and pg-boss's (jobs). */
const SCHEMAS = ['public', 'kamailio', 'pgboss'];

/**
 * pg-boss tables read through a projection, or left out (null), because pg-boss changes them on
 * its own while the walk runs: its monitor and maintenance loops stamp `version`, count jobs into
 * `queue`'s counters and `queue_stats`, log `warning`s and run `bam` (its own migrations), and its
 * clock sends the cron jobs (`__pgboss__*`, and one job per schedule each minute) and moves every
 * job through its states. What a request could write is still seen: any other new job (its id,
 * queue and data), a new queue, schedule, subscription or dependency. A pg-boss table missing here
 * fails the snapshot, so a new one is decided on, not ignored.
 */
const PGBOSS: Record<string, string | null> = {
  job: "select id, name, data, singleton_key from pgboss.job where name not like '\\_\\_pgboss\\_\\_%' and name not in (select name from pgboss.schedule)",
  queue: 'select name, policy, retry_limit, retry_delay, retry_backoff, expire_seconds, retention_seconds, deletion_seconds, dead_letter, partition, table_name from pgboss.queue',
  schedule: 'select name, key, cron, timezone, data, options from pgboss.schedule',
  subscription: 'select event, name from pgboss.subscription',
  job_dependency: 'select * from pgboss.job_dependency',
  version: null,
  queue_stats: null,
  warning: null,
  bam: null,
};

/** Every row of every table the application writes (partitions through their parent), as one string. */
async function snapshot(api: TestApi): Promise<string> {
  const conn = api.running.app.orm.em.getConnection();
  const tables = await conn.execute<{ schema: string; name: string }[]>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition and n.nspname in (${SCHEMAS.map((name) => `'${name}'`).join(', ')}) order by 1, 2`,
  );
  const dump: Record<string, unknown> = {};
  for (const { schema, name } of tables) {
    let select = `select * from "${schema}"."${name}"`;
    if (schema === 'pgboss') {
      if (!(name in PGBOSS)) throw new Error(`pg-boss table ${name}: add it to PGBOSS (a projection, or null with the reason)`);
      if (PGBOSS[name] === null) continue;
      select = PGBOSS[name]!;
    }
    dump[`${schema}.${name}`] = await conn.execute(`select * from (${select}) t order by 1`);
  }
  return JSON.stringify(dump);
}

describe('tenant isolation', () => {
  let api: TestApi;
  let schema: GraphQLSchema;
  let a: TenantFixture;
  let aIds: Ids;
  let bIds: Ids;
  before(async () => {
    api = await startTestApi();
    schema = await createSchema();
    a = await createTenant(api, { seats: 5 });
    const b = await createTenant(api, { seats: 5 });
    aIds = await populate(api, a);
    bIds = await populate(api, b);
  });
  after(() => api.stop());

  it("answers NOT_FOUND to every operation given another tenant's ids, and writes nothing", async () => {
    const before = await snapshot(api);
    const checked: string[] = [];
    const failures: string[] = [];
    for (const kind of ['query', 'mutation'] as const) {
      const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
      for (const field of Object.values(root.getFields())) {
        if (!tenantCallable(field) || !field.args.some((arg) => hasId(arg.type))) continue;
        const doc = operation(kind, field, field.args);
        for (const foreign of bIds.all) {
          // every id slot foreign; then each slot foreign in turn with the caller's own ids elsewhere
          const plans: (() => () => string)[] = [() => () => foreign];
          const slots = JSON.stringify(argsToSend(field).map((arg) => valueFor(arg.type, arg.name, () => 'ID'))).split('"ID"').length - 1;
          for (let slot = 0; slot < slots && slots > 1; slot++) {
            for (const own of aIds.all) plans.push(() => { let i = 0; return () => (i++ === slot ? foreign : own); });
          }
          for (const plan of plans) {
            const next = plan();
            const variables = Object.fromEntries(argsToSend(field).map((arg) => [arg.name, valueFor(arg.type, arg.name, next)]));
            const r = await api.gql(doc, variables, a.adminToken);
            if (codeOf(r) !== 'NOT_FOUND') failures.push(`${field.name}(${JSON.stringify(variables)}) -> ${JSON.stringify(r.errors ?? r.data)}`);
          }
        }
        checked.push(field.name);
      }
    }
    assert.deepEqual(failures, []);
    for (const name of ['user', 'updateUser', 'setUserSecurityGroups', 'signOutUser', 'securityGroup', 'deleteSecurityGroup', 'revokeApiKey', 'updateAccountContact', 'ticket', 'commentOnTicket', 'closeOwnTicket']) {
      assert.ok(checked.includes(name), `the walk should have reached ${name}; it reached ${checked.join(', ')}`);
    }
    assert.equal(await snapshot(api), before, 'a refused call changed the database');
  });

  it("refuses subscriptions that name another tenant's ids", async () => {
    const root = schema.getSubscriptionType();
    const checked: string[] = [];
    for (const field of Object.values(root?.getFields() ?? {})) {
      if (!tenantCallable(field) || !field.args.some((arg) => hasId(arg.type))) continue;
      checked.push(field.name);
      for (const foreign of bIds.all) {
        const variables = Object.fromEntries(argsToSend(field).map((arg) => [arg.name, valueFor(arg.type, arg.name, () => foreign)]));
        const client = api.ws(a.adminToken); // one socket at a time: sockets per user are limited
        const outcome = await new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve('accepted'), 10_000);
          client.subscribe({ query: operation('subscription', field, field.args), variables }, {
            next: (m) => { clearTimeout(timer); resolve(String(m.errors?.[0]?.extensions?.code ?? 'data')); },
            error: (e) => {
              clearTimeout(timer);
              resolve(Array.isArray(e) ? String(e[0]?.extensions?.code) : `socket closed: ${(e as { code?: number; reason?: string }).code} ${(e as { reason?: string }).reason}`);
            },
            complete: () => {},
          });
        });
        await client.dispose();
        assert.equal(outcome, 'NOT_FOUND', `${field.name} with ${foreign}`);
      }
    }
    for (const name of ['agentStateChanged', 'interactionEvents', 'queueStats']) {
      assert.ok(checked.includes(name), `the walk should have reached ${name}; it reached ${checked.join(', ') || 'none'}`);
    }
  });

  it('sees a write to any schema the application writes', async () => {
    const conn = api.running.app.orm.em.getConnection();
    const before = await snapshot(api);
    await conn.execute("insert into kamailio.version (table_name, table_version) values ('isolation_probe', 1)");
    const afterKamailio = await snapshot(api);
    assert.notEqual(afterKamailio, before, 'a row added to kamailio.version went unseen');
    await api.running.app.jobs.send('isolation-probe', { n: 1 }); // a new queue and a job in it
    assert.notEqual(await snapshot(api), afterKamailio, 'a job sent through pg-boss went unseen');
  });
});
