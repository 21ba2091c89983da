/**
 * Tenants for `bench:scale` and its smoke test: made through the operator API (so licence,
 * support policy and administrator are the real thing), then filled with SQL history
 * (scale-data.ts), analysed, and given the picks the operations ask about.
 */
import assert from 'node:assert/strict';
import type pg from 'pg';
import type { App } from '../../api/src/platform/context.js';
import { generateTenant, type TenantSize } from './scale-data.js';
import { gql, OPERATIONS, PLATFORM_OPERATIONS, pick, untilReady, type Target } from './scale-ops.js';

export { untilReady };

export interface Api {
  url: string;
  operatorToken: string;
  app: App;
  db: pg.Client;
}

/** A tenant with an OMNI licence for its agents and its administrator's token. */
export async function createTenant(api: Api, slug: string, seats: number): Promise<{ tenantId: string; token: string }> {
  const operator = { url: api.url, token: api.operatorToken };
  const admin = { email: `admin@${slug}.example`, password: 'admin-password-1' };
  const created = await gql<{ createTenant: { tenant: { id: string } } }>(
    operator,
    'mutation($input: CreateTenantInput!) { createTenant(input: $input) { tenant { id } } }',
    { input: { name: `Scale ${slug}`, slug, timeZone: 'UTC', administrator: { ...admin, name: 'Admin' } } },
  );
  const tenantId = created.createTenant.tenant.id;
  await gql(operator, 'mutation($id: ID!, $terms: LicenceTermsInput!) { setTenantLicence(tenantId: $id, terms: $terms) { id } }', {
    id: tenantId,
    terms: { kind: 'OMNI', seats },
  });
  const signedIn = await gql<{ signIn: { accessToken: string } }>({ url: api.url, token: '' }, 'mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }', {
    input: { ...admin, tenant: slug },
  });
  return { tenantId, token: signedIn.signIn.accessToken };
}

/** Makes the tenant, writes its history and answers the target the operations run against. */
export async function tenantWithHistory(api: Api, slug: string, size: TenantSize, log: (m: string) => void = () => {}): Promise<Target> {
  const { tenantId, token } = await createTenant(api, slug, Math.max(10, size.agents));
  const started = Date.now();
  const rows = await generateTenant(api.db, tenantId, slug, size, new Date());
  log(`${slug}: ${Object.entries(rows).map(([t, n]) => `${n} ${t}`).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await untilReady(api.url); // a long bulk write can make the API's one-second database ping miss
  const target = { url: api.url, token, tenantId, app: api.app, db: api.db };
  return { ...target, picks: await pick(target) };
}

/** Every operation once, its answer checked against the rows (what the smoke test asserts). */
export async function checkAll(target: Target): Promise<string[]> {
  const done = [];
  for (const op of [...OPERATIONS, ...PLATFORM_OPERATIONS]) {
    const answer = await op.run(target).catch((err: Error) => assert.fail(`${op.name}: ${err.message}`));
    await op.check(target, answer).catch((err: Error) => assert.fail(`${op.name}: ${err.message}`));
    done.push(op.name);
  }
  return done;
}

/** The retention purge, checked: it purges exactly the interactions that are due, and then nothing. */
export async function checkPurge(api: Api): Promise<{ purged: number }> {
  const { purgeExpired } = await import('../../api/src/modules/interactions/retention.js');
  const due = await api.db.query(`select count(*) as n from interaction i join tenant t on t.id = i.tenant_id
    where i.state in ('CLOSED', 'ABANDONED') and i.transcript_purged_at is null
      and coalesce(i.ended_at, i.created_at) < now() - make_interval(months => t.retention_months)`);
  const first = await purgeExpired(api.app);
  assert.equal(first.interactions, Number(due.rows[0].n));
  const left = await api.db.query(`select count(*) as n from message m join interaction i on i.id = m.interaction_id where i.transcript_purged_at is not null`);
  assert.equal(Number(left.rows[0].n), 0, 'messages of purged interactions remain');
  assert.equal((await purgeExpired(api.app)).interactions, 0);
  return { purged: first.interactions };
}
