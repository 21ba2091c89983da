import type { Em, Orm } from './orm.js';

/** One plain SQL statement (`?` placeholders) on the transaction's connection; its rows. */
export type Sql = <T = Record<string, unknown>>(statement: string, params?: readonly unknown[]) => Promise<T[]>;

/** Thrown inside `sqlTransaction` to roll back and still answer `value`. */
export class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rollback');
  }
}

/**
 * Runs `work` in one transaction of plain statements: no entity is loaded, one commit at the end
 * (or a rollback when `work` throws; `throw new Rollback(v)` rolls back and answers `v`).
 */
export async function sqlTransaction<T>(orm: Orm, work: (sql: Sql) => Promise<T>): Promise<T> {
  try {
    return await orm.em.fork().transactional(async (tx) => {
      const conn = tx.getConnection();
      const ctx = tx.getTransactionContext();
      return work((statement, params = []) => conn.execute(statement, params as unknown[], 'all', ctx));
    });
  } catch (err) {
    if (err instanceof Rollback) return err.value as T;
    throw err;
  }
}

/** One statement on its own (autocommit). */
export const sqlOnce = <T = Record<string, unknown>>(orm: Orm, statement: string, params: readonly unknown[] = []): Promise<T[]> =>
  orm.em.getConnection().execute<T[]>(statement, params as unknown[]);

/** The same, on an entity manager's connection and inside its transaction (if any). */
export function emSql(em: Em): Sql {
  const conn = em.getConnection();
  const ctx = em.getTransactionContext();
  return (statement, params = []) => conn.execute(statement, params as unknown[], 'all', ctx);
}
