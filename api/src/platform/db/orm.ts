import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from '../../modules/entities.js';
import { migrationsList } from '../../migrations/index.js';
import { timedClient } from './unavailable.js';

export type Orm = MikroORM;
export type Em = EntityManager;

export const TENANT_FILTER = 'tenant';

/** Entities with a `tenant` column: every query on them is scoped by the tenant filter. */
export const tenantOwnedEntities = entities.filter((e) => 'tenant' in e.meta.properties);

export interface OrmOptions {
  url: string;
  /** Called for every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
  poolMax?: number;
  /** Without them a frozen database keeps every query waiting (migrations and tools run without). */
  timeouts?: DbTimeouts;
}

export interface DbTimeouts {
  /** Opening a connection, and waiting for a free one in the pool (ms). */
  connectMs: number;
  /** Server-side statement_timeout (ms, 0: none); the client gives up on a silent server 2 s later. */
  statementMs: number;
}

/** pg pool options for the timeouts (shared with pg-boss's pool). */
export function poolTimeouts({ connectMs, statementMs }: DbTimeouts) {
  return {
    connectionTimeoutMillis: connectMs,
    ...(statementMs > 0 && { statement_timeout: statementMs }),
    keepAlive: true,
  };
}

/** The client-side deadline for a server that does not answer at all. */
export const readTimeoutMs = ({ statementMs }: DbTimeouts) => (statementMs > 0 ? statementMs + 2000 : 0);

export function ormConfig({ url, onQuery, poolMax = 10, timeouts }: OrmOptions): Options {
  return {
    clientUrl: url,
    entities,
    extensions: [Migrator],
    pool: { max: poolMax },
    ...(timeouts && {
      driverOptions: { ...poolTimeouts(timeouts), ...(readTimeoutMs(timeouts) && { Client: timedClient(readTimeoutMs(timeouts)) }) },
    }),
    migrations: {
      migrationsList,
      snapshot: false,
      transactional: true,
      // Each migration commits on its own, so one that must run outside a transaction (`create
      // index concurrently`, isTransactional() false) is not stuck behind the others' locks.
      allOrNothing: false,
      silent: true,
    },
    // Tenant scope is structural: queries on tenant-owned entities need the tenant id, and a
    // forgotten one throws instead of leaking rows. Platform code turns it off explicitly.
    filters: {
      [TENANT_FILTER]: {
        cond: (args: { id?: string; platform?: boolean }) => {
          if (args?.platform) return {};
          if (!args?.id) throw new Error('tenant filter used without a tenant id');
          return { tenant: args.id };
        },
        entity: tenantOwnedEntities.map((e) => e.meta.className),
        default: true,
      },
    },
    ...(onQuery ? { onQuery: (sql: string) => (onQuery(sql), sql) } : {}),
    // Kamailio's tables (schema "kamailio", created by a migration) are not ours to diff. Stored
    // functions (throttle_take) are written by hand in migrations, which own them.
    schemaGenerator: { ignoreSchema: ['kamailio'], ignoreRoutines: true },
    ignoreUndefinedInQuery: true,
    forceUtcTimezone: true,
  };
}

export async function createOrm(options: OrmOptions): Promise<Orm> {
  return MikroORM.init(ormConfig(options));
}

/** An entity manager scoped to one tenant. */
export function tenantEm(orm: Orm | Em, tenantId: string): Em {
  const em = orm instanceof MikroORM ? orm.em.fork() : orm.fork();
  em.setFilterParams(TENANT_FILTER, { id: tenantId });
  return em;
}

/** An entity manager that sees every tenant: platform operations only. */
export function platformEm(orm: Orm | Em): Em {
  const em = orm instanceof MikroORM ? orm.em.fork() : orm.fork();
  em.setFilterParams(TENANT_FILTER, { platform: true });
  return em;
}
