/** @switchboard/sdk: a typed client for the Switchboard GraphQL API. */
export { createClient } from './client.js';
export type { ClientOptions, Connection, CoreClient, RequestOptions, SubscribeOptions, SwitchboardClient, VariablesArgs } from './client.js';
export type { ContactCentreHelpers, InteractionEvent, VisitorEvent } from './contact-centre-helpers.js';
export type { IdentityHelpers } from './identity-helpers.js';
export { API_ERROR_CODES, SwitchboardError, isSwitchboardError } from './errors.js';
export type { ApiErrorCode, ClientErrorCode, ErrorCode, GraphQLErrorPayload, SwitchboardErrorInit } from './errors.js';
export type { ResumeOptions } from './resume.js';
export type { RetryOptions } from './retry.js';
export type { TypedDocumentNode } from '@graphql-typed-document-node/core';
export * from './generated/graphql.js';
