import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from '../../modules/entities.js';
import { migrationsList } from '../../migrations/index.js';

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
}

export function ormConfig({ url, onQuery, poolMax = 10 }: OrmOptions): Options {
  return {
    clientUrl: url,
    entities,
    extensions: [Migrator],
    pool: { max: poolMax },
    migrations: {
      migrationsList,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
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
    // Kamailio's tables (schema "kamailio", created by a migration) are not ours to diff.
    schemaGenerator: { ignoreSchema: ['kamailio'] },
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
