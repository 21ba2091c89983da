import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { enforceAccessRules } from '../platform/auth/access.js';
import { LicenceResolver } from '../modules/licensing/index.js';
import { TenantResolver } from '../modules/tenants/index.js';
import {
  AccountContactResolver,
  ApiKeyResolver,
  AuthResolver,
  SecurityGroupResolver,
  UserResolver,
} from '../modules/identity/index.js';

/** Every resolver of the API. A new module adds its resolvers here. */
export const resolvers = [
  TenantResolver,
  LicenceResolver,
  AuthResolver,
  UserResolver,
  SecurityGroupResolver,
  AccountContactResolver,
  ApiKeyResolver,
] as const;

const noPubSub: PubSub = {
  publish() {},
  subscribe() {
    throw new Error('schema built without an event bus');
  },
};

export async function createSchema(pubSub: PubSub = noPubSub): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    pubSub,
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  });
  return enforceAccessRules(schema);
}

export const SCHEMA_HEADER = `# Switchboard GraphQL API. Emitted from the code by \`npm run schema:emit\`; do not edit by hand.
# Changing a public type is a decision: record it in CHANGELOG.md.
`;

/** The schema as committed in schema/schema.graphql: sorted, with the generated header. */
export function printPublicSchema(schema: GraphQLSchema): string {
  return `${SCHEMA_HEADER}\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
