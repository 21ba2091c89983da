import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { enforceAccessRules } from '../platform/auth/access.js';
import { LicenceResolver } from '../modules/licensing/index.js';
import { TenantResolver } from '../modules/tenants/index.js';
import { TicketResolver } from '../modules/tickets/index.js';
import { StatusResolver } from '../modules/status/index.js';
import { BillingResolver } from '../modules/billing/index.js';
import { BlacklistResolver, ContactResolver } from '../modules/contacts/index.js';
import { ContactNoteResolver, ContactNotesResolver } from '../modules/contacts/index.js';
import { QueueResolver } from '../modules/queues/index.js';
import { CampaignResolver } from '../modules/campaigns/index.js';
import { AgentStateResolver } from '../modules/agents/index.js';
import { ContactInteractionsResolver, InteractionResolver } from '../modules/interactions/index.js';
import { QueueStatsResolver, RoutingResolver } from '../modules/routing/index.js';
import { WebchatResolver } from '../modules/webchat/index.js';
import { ChannelAccountResolver } from '../modules/channels/index.js';
import { CallControlResolver, CallInfoResolver, DidResolver, SipTrunkResolver } from '../modules/telephony/calls/index.js';
import { TransferTargetsResolver } from '../modules/telephony/transfers/transfer-targets.resolver.js';
import { RecordingUrlResolver } from '../modules/telephony/recordings/index.js';
import { SipCredentialsResolver } from '../modules/telephony/sip/index.js';
import { SipBanResolver } from '../modules/telephony/runtime/index.js';
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
  BillingResolver,
  ContactResolver,
  BlacklistResolver,
  ContactNoteResolver,
  ContactNotesResolver,
  QueueResolver,
  CampaignResolver,
  AgentStateResolver,
  InteractionResolver,
  ContactInteractionsResolver,
  RoutingResolver,
  QueueStatsResolver,
  WebchatResolver,
  TicketResolver,
  StatusResolver,
  SipTrunkResolver,
  DidResolver,
  RecordingUrlResolver,
  CallControlResolver,
  TransferTargetsResolver,
  CallInfoResolver,
  SipCredentialsResolver,
  SipBanResolver,
  ChannelAccountResolver,
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
