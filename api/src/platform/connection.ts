import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { Em } from './db/orm.js';
import { badInput } from './errors.js';
import { isUuid } from './ids.js';

@ObjectType({ description: 'Where a page of a connection stands.' })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @Min(1)
  @Max(100)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' })
  after?: string;
}

/** Query cost of a connection field: its page size times what each node costs (see server/limits.ts). */
export const connectionComplexity = ({ args, childComplexity }: { args: { first?: number }; childComplexity: number }) =>
  1 + (args.first ?? 20) * childComplexity;

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface ConnectionValue<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted only when a client selects `totalCount` (GraphQL awaits it then; see `lazyCount`). */
  totalCount: number | PromiseLike<number>;
}

/**
 * A count that runs only when something awaits it: GraphQL resolves a field's promise only when
 * the field is selected, so a page asked without `totalCount` never counts the whole set.
 */
export function lazyCount(count: () => Promise<number>): PromiseLike<number> {
  let started: Promise<number> | undefined;
  return { then: (ok, fail) => (started ??= count()).then(ok, fail) };
}

/** Builds `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => node) node!: T;
    @Field(() => String) cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'Items matching the filter, across every page.' }) totalCount!: number;
  }
  return ConnectionType;
}

export const encodeCursor = (id: string) => Buffer.from(`id:${id}`).toString('base64url');

export function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = raw.startsWith('id:') ? raw.slice(3) : '';
  if (!isUuid(id)) throw badInput('Malformed cursor', 'after');
  return id;
}

/**
 * Keyset pagination by id (UUIDv7, so creation order): one query for the page (plus one row to
 * learn whether there is a next page) and, only when `totalCount` is selected, one count.
 */
export async function paginate<E extends { id: string }>(
  em: Em,
  entity: EntityName<E>,
  where: FilterQuery<NoInfer<E>>,
  { first, after }: PageArgs,
  options: { populate?: string[] } = {},
): Promise<ConnectionValue<E>> {
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be between 1 and 100', 'first');
  const pageWhere = after ? { $and: [where, { id: { $gt: decodeCursor(after) } }] } : where;
  const rows = await em.find(entity as never, pageWhere as never, { orderBy: { id: 'asc' } as never, limit: first + 1, populate: options.populate as never });
  const totalCount = lazyCount(() => em.count(entity as never, where as never));
  const page = (rows as E[]).slice(0, first);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(node.id) }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: !!after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
