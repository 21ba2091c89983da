import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getVariableValues,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { createRequire } from 'node:module';

// graphql-query-complexity's ES build imports graphql/index.mjs, a second copy of graphql next to
// the one every other package loads; its CommonJS build shares ours.
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof import('graphql-query-complexity');
import { ErrorCode } from '../platform/errors.js';
import { findInvalidInput } from '../platform/validation.js';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);
/** Fields the cost estimate walks at most; an operation with more is refused as too complex. */
const MAX_FIELDS = 10_000;

interface Shape {
  /** Depth of the deepest field path (introspection excluded: graphql's MaxIntrospectionDepthRule bounds it). */
  depth: number;
  /** How many `__schema` / `__type` fields the operation runs (fragments counted at each spread). */
  introspection: number;
}

/**
 * Depth and introspection fields of an operation, following fragments. Each fragment is measured
 * once (validation has refused cycles), so fragments spread in fragments cost linear time.
 */
export function operationShape(document: DocumentNode, operationName?: string | null): Shape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const measured = new Map<string, Shape>();
  const shapeOf = (set: SelectionSetNode | undefined, seen: Set<string>): Shape => {
    const shape = { depth: 0, introspection: 0 };
    for (const s of set?.selections ?? []) {
      let inner: Shape;
      if (s.kind === Kind.FIELD) {
        if (s.name.value.startsWith('__')) {
          if (INTROSPECTION_ROOTS.has(s.name.value)) shape.introspection++;
          continue;
        }
        inner = shapeOf(s.selectionSet, seen);
        inner = { depth: inner.depth + 1, introspection: inner.introspection };
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        inner = shapeOf(s.selectionSet, seen);
      } else {
        const name = s.name.value;
        if (seen.has(name)) continue;
        let fragment = measured.get(name);
        if (!fragment) {
          fragment = shapeOf(fragments.get(name)?.selectionSet, new Set([...seen, name]));
          measured.set(name, fragment);
        }
        inner = fragment;
      }
      shape.depth = Math.max(shape.depth, inner.depth);
      shape.introspection = Math.min(shape.introspection + inner.introspection, Number.MAX_SAFE_INTEGER);
    }
    return shape;
  };
  const total = { depth: 0, introspection: 0 };
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && d.name?.value !== operationName) continue;
    const shape = shapeOf(d.selectionSet, new Set());
    total.depth = Math.max(total.depth, shape.depth);
    total.introspection += shape.introspection;
  }
  return total;
}

/**
 * Why an operation may not run, before any resolver does: text inputs holding control characters
 * (BAD_USER_INPUT with the field), too deep, more than one introspection field, too costly.
 * The same check for HTTP (Apollo plugin below) and WebSocket (graphql-ws onSubscribe).
 */
export function operationProblem(
  schema: GraphQLSchema,
  limits: QueryLimits,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError | undefined {
  const bad = findInvalidInput(document, variables);
  if (bad) {
    const where = bad.field || 'A text input';
    return refuse(ErrorCode.BAD_USER_INPUT, `${where} holds the control character ${bad.character}; text may not hold NUL or control characters other than tab and line breaks`, { field: bad.field });
  }
  const { depth, introspection } = operationShape(document, operationName);
  if (depth > limits.maxDepth) {
    return refuse(ErrorCode.QUERY_TOO_DEEP, `This query is ${depth} levels deep; the limit is ${limits.maxDepth}`);
  }
  if (introspection > 1) {
    return refuse(ErrorCode.QUERY_TOO_COMPLEX, `This query holds ${introspection} introspection fields (__schema, __type); one per request is allowed`);
  }
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName));
  // variables that do not fit their types (an unknown enum value, ...): nothing will run, and
  // execution answers BAD_USER_INPUT; the cost estimate would throw an untyped error instead
  const variableDefinitions = operation?.kind === Kind.OPERATION_DEFINITION ? operation.variableDefinitions ?? [] : [];
  if (getVariableValues(schema, variableDefinitions, variables ?? {}).errors) return undefined;
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      maxQueryNodes: MAX_FIELDS,
    });
  } catch (err) {
    if (/maximum allowed number of nodes/.test((err as Error).message)) {
      return refuse(ErrorCode.QUERY_TOO_COMPLEX, `This query has more than ${MAX_FIELDS} fields; the cost limit is ${limits.maxCost}`);
    }
    return undefined; // an argument problem: execution answers it with its own typed error
  }
  if (cost > limits.maxCost) {
    return refuse(ErrorCode.QUERY_TOO_COMPLEX, `This query costs ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages or fewer fields`);
  }
  return undefined;
}

const refuse = (code: string, message: string, extra: Record<string, unknown> = {}) => new GraphQLError(message, { extensions: { ...extra, code } });

/** Refuses what `operationProblem` finds in HTTP requests, with HTTP status 400. */
export function queryLimitsPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const problem = operationProblem(schema, limits, document, request.operationName, request.variables);
          if (problem) throw new GraphQLError(problem.message, { extensions: { ...problem.extensions, http: { status: 400 } } });
        },
      };
    },
  };
}
