/** @switchboard/sdk: a typed client for the Switchboard GraphQL API. */
export { createClient } from './client.js';
export type { ClientOptions, Connection, RequestOptions, SwitchboardClient, VariablesArgs } from './client.js';
export { SwitchboardError, isSwitchboardError } from './errors.js';
export type { ApiErrorCode, ClientErrorCode, ErrorCode, GraphQLErrorPayload, SwitchboardErrorInit } from './errors.js';
export type { RetryOptions } from './retry.js';
export type { TypedDocumentNode } from '@graphql-typed-document-node/core';
export * from './generated/graphql.js';
