/**
 * Helpers for tests that walk the GraphQL schema and call every operation of a kind, so a new
 * operation is covered by existing (see test/tenant-isolation.test.ts, test/acting-on-users.test.ts).
 */
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import type { AccessRule } from '../platform/auth/access.js';

/** Whether a value of `type` can carry an ID somewhere (itself, a list of it, or an input field). */
export const hasId = (type: GraphQLInputType, seen = new Set<string>()): boolean => {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => hasId(f.type, seen));
};

/** Names of every ID slot of `type` (the argument's or the input field's own name), recursively. */
export function idSlotNames(type: GraphQLInputType, name: string, seen = new Set<string>()): string[] {
  const named = getNamedType(type);
  if (named.name === 'ID') return [name];
  if (!isInputObjectType(named) || seen.has(named.name)) return [];
  seen.add(named.name);
  return Object.values(named.getFields()).flatMap((f) => idSlotNames(f.type, f.name, seen));
}

/** A valid value for an argument; `id(slotName)` decides what goes in each ID slot. */
export function valueFor(type: GraphQLInputType, name: string, id: (slot: string) => string): unknown {
  const t = getNullableType(type) as GraphQLInputType;
  if (isListType(t)) return [valueFor(t.ofType, name, id)];
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields())) {
      if ((isNonNullType(f.type) && f.defaultValue === undefined) || hasId(f.type)) out[f.name] = valueFor(f.type, f.name, id);
    }
    return out;
  }
  if (isEnumType(t)) return t.getValues()[0].value;
  if (!isScalarType(t)) throw new Error(`no value for ${name}`);
  switch (t.name) {
    case 'ID': return id(name);
    case 'Int': return name === 'first' ? 10 : 5;
    case 'Boolean': return false;
    case 'DateTimeISO': return new Date(Date.now() + 86_400_000).toISOString();
    case 'String':
      if (/email/i.test(name)) return 'walk@example.com';
      if (/password/i.test(name)) return 'walk-password-123';
      if (/timeZone/.test(name)) return 'UTC';
      if (name === 'value') return '+15145550100'; // an identifier: valid as a phone number and as a handle
      if (name === 'code') return 'WALK';
      if (name === 'body') return 'walk message';
      return 'walk';
    default: throw new Error(`add a value for scalar ${t.name}`);
  }
}

/** Required arguments, and optional ones that can carry an id; other optional ones are left out. */
export const argsToSend = (field: GraphQLField<unknown, unknown>) => field.args.filter((a) => isNonNullType(a.type) || hasId(a.type));

/** The document calling `field` with every argument in `args` as a variable. */
export function operation(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>, args: readonly GraphQLArgument[]) {
  const vars = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind}${vars ? `(${vars})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`;
}

/** Operations a tenant's user or API key may call. */
export const tenantCallable = (field: GraphQLField<unknown, unknown>) => {
  const rule = field.extensions?.access as AccessRule | undefined;
  return rule?.kind === 'tenant' || rule?.kind === 'signedIn';
};
