import { Extensions } from 'type-graphql';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Context } from '../context.js';
import { forbidden, unauthenticated } from '../errors.js';
import { assertIdsWellFormed } from '../ids-check.js';
import type { Permission } from './permissions.js';
import type { Principal, TenantPrincipal } from './principal.js';

/**
 * Every root field (query, mutation, subscription) declares who may call it; a field without a
 * rule is refused. The rule lives in the field's extensions, so tests can walk the schema by it.
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'signedIn' }
  | { kind: 'operator' }
  | { kind: 'tenant'; permission: Permission };

export const Public = () => Extensions({ access: { kind: 'public' } satisfies AccessRule });
/** Any signed-in person or API key; the resolver decides what it returns to whom. */
export const SignedIn = () => Extensions({ access: { kind: 'signedIn' } satisfies AccessRule });
export const OperatorOnly = () => Extensions({ access: { kind: 'operator' } satisfies AccessRule });
export const Requires = (permission: Permission) =>
  Extensions({ access: { kind: 'tenant', permission } satisfies AccessRule });

export function check(rule: AccessRule | undefined, principal: Principal | undefined, authError?: Error): void {
  if (!rule) throw forbidden('This operation has no access rule');
  if (rule.kind === 'public') return;
  if (authError) throw authError;
  if (!principal) throw unauthenticated();
  if (rule.kind === 'signedIn') return;
  if (rule.kind === 'operator') {
    if (principal.kind !== 'operator') throw forbidden('Only the platform operator may do this');
    return;
  }
  if (principal.kind === 'operator') throw forbidden('This operation belongs to a tenant');
  if (!principal.permissions.has(rule.permission)) {
    throw forbidden(`Missing permission ${rule.permission}`);
  }
}

/**
 * Wraps the resolver (and, for subscriptions, the subscribe function) of every root field with
 * its access rule and the well-formed-id check. Only root fields pay for it.
 */
export function enforceAccessRules(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const rule = field.extensions?.access as AccessRule | undefined;
      const guard = <F extends GraphQLFieldResolver<unknown, Context>>(inner: F): F =>
        ((source, args, context, info) => {
          check(rule, context.principal, context.authError);
          assertIdsWellFormed(field.args, args);
          return inner(source, args, context, info);
        }) as F;
      field.resolve = guard(field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guard(field.subscribe);
    }
  }
  return schema;
}

/** The caller as a tenant principal; for resolvers whose rule is `Requires(...)`. */
export function tenantPrincipal(ctx: Context): TenantPrincipal {
  const p = ctx.principal;
  if (!p) throw unauthenticated();
  if (p.kind === 'operator') throw forbidden('This operation belongs to a tenant');
  return p;
}

export function hasPermission(ctx: Context, permission: Permission): boolean {
  const p = ctx.principal;
  return !!p && p.kind !== 'operator' && p.permissions.has(permission);
}

/** `topicId` of tenant-scoped subscriptions: the caller's tenant (its access rule was checked on subscribe). */
export const callersTenant = ({ context }: { context: Context }): string => tenantPrincipal(context).tenantId;
