import { Extensions, type MiddlewareFn } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
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

export function accessRuleOf(info: Pick<GraphQLResolveInfo, 'parentType' | 'fieldName'>): AccessRule | undefined {
  return info.parentType.getFields()[info.fieldName]?.extensions?.access as AccessRule | undefined;
}

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

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

/** Global middleware enforcing the access rule of every root field, and well-formed ids in its arguments. */
export const enforceAccess: MiddlewareFn<Context> = async ({ context, info, args }, next) => {
  if (ROOTS.has(info.parentType.name) && info.path.prev === undefined) {
    check(accessRuleOf(info), context.principal, context.authError);
    assertIdsWellFormed(info.parentType.getFields()[info.fieldName].args, args);
  }
  return next();
};

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

/**
 * `topicId` for tenant-scoped subscriptions: checks the caller when it subscribes (not only when
 * the first event arrives) and listens on the caller's tenant only.
 */
export const tenantTopic =
  (permission: Permission) =>
  ({ context }: { context: Context }): string => {
    check({ kind: 'tenant', permission }, context.principal, context.authError);
    return tenantPrincipal(context).tenantId;
  };
