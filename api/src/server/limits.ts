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

/** Depth of the deepest field path in an operation, following fragments (introspection excluded). */
export function operationDepth(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value.startsWith('__')) continue;
        max = Math.max(max, 1 + depthOf(s.selectionSet, seen));
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(s.selectionSet, seen));
      } else {
        const name = s.name.value;
        if (seen.has(name)) continue;
        max = Math.max(max, depthOf(fragments.get(name)?.selectionSet, new Set([...seen, name])));
      }
    }
    return max;
  };
  let deepest = 0;
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && d.name?.value !== operationName) continue;
    deepest = Math.max(deepest, depthOf(d.selectionSet, new Set()));
  }
  return deepest;
}

const refuse = (code: string, message: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** Refuses operations deeper or costlier than allowed, before any resolver runs. */
export function queryLimitsPlugin(schema: GraphQLSchema, maxDepth: number, maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operation }) {
          const depth = operationDepth(document, request.operationName);
          if (depth > maxDepth) {
            throw refuse(ErrorCode.QUERY_TOO_DEEP, `This query is ${depth} levels deep; the limit is ${maxDepth}`);
          }
          // variables that do not fit their types (an unknown enum value, ...): nothing will run, and
          // execution answers BAD_USER_INPUT; the cost estimate would throw an untyped error instead
          if (getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {}).errors) return;
          const cost = getComplexity({
            schema,
            query: document,
            variables: request.variables ?? {},
            operationName: request.operationName ?? undefined,
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
          if (cost > maxCost) {
            throw refuse(ErrorCode.QUERY_TOO_COMPLEX, `This query costs ${cost}; the limit is ${maxCost}. Ask for smaller pages or fewer fields`);
          }
        },
      };
    },
  };
}
