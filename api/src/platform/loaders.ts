import DataLoader from 'dataloader';
import type { EntityName } from '@mikro-orm/core';
import { loader, type Context } from './context.js';
import { tenantEm } from './db/orm.js';

/**
 * "This tenant's <entity> by id", batched into one query per request: for fields that point at
 * another object (a campaign's default queue, a queue's overflow queue).
 */
export function byId<E extends { id: string }>(ctx: Context, entity: EntityName<E>, name: string, tenantId: string) {
  return loader(ctx, `byId:${name}:${tenantId}`, () => {
    const em = tenantEm(ctx.em, tenantId);
    return new DataLoader<string, E | undefined>(async (ids) => {
      const rows = (await em.find(entity, { id: { $in: [...ids] }, tenant: tenantId } as never)) as E[];
      const found = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => found.get(id));
    });
  });
}

/** "This tenant's <entity> rows grouped by a foreign key", batched into one query per request. */
export function groupedBy<E extends object>(
  ctx: Context,
  entity: EntityName<E>,
  name: string,
  tenantId: string,
  key: string,
  keyOf: (row: E) => string,
  options: { where?: object; orderBy?: object } = {},
) {
  return loader(ctx, `groupedBy:${name}:${key}:${JSON.stringify(options.where ?? {})}:${tenantId}`, () => {
    const em = tenantEm(ctx.em, tenantId);
    return new DataLoader<string, E[]>(async (keys) => {
      const rows = (await em.find(entity, { [key]: { $in: [...keys] }, tenant: tenantId, ...options.where } as never, {
        orderBy: options.orderBy as never,
      })) as E[];
      const groups = new Map<string, E[]>(keys.map((k) => [k, []]));
      for (const row of rows) groups.get(keyOf(row))?.push(row);
      return keys.map((k) => groups.get(k)!);
    });
  });
}
