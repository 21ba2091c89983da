import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Context } from '../platform/context.js';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { ErrorCode } from '../platform/errors.js';
import { isDatabaseUnavailable } from '../platform/db/unavailable.js';

/**
 * Errors leave the API with a code from the catalogue. Our own errors and GraphQL's are shown as
 * they are; input validation becomes BAD_USER_INPUT with the failing fields; anything else is
 * shown as INTERNAL_SERVER_ERROR without its details (`logUnexpectedErrors` logs them).
 */
export function formatError() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof ArgumentValidationError) {
      const fields = original.extensions.validationErrors.map((e) => ({
        field: e.property,
        messages: Object.values(e.constraints ?? {}).concat(
          (e.children ?? []).flatMap((c) => Object.values(c.constraints ?? {})),
        ),
      }));
      return {
        message: `Invalid input: ${fields.map((f) => f.messages.join(', ') || f.field).join('; ')}`,
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT, fields },
      };
    }
    const code = formatted.extensions?.code;
    if (code && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (isDatabaseUnavailable(original)) {
      return { message: 'The service is temporarily unavailable (its database does not answer); try again shortly', path: formatted.path, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } };
    }
    return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}

/** Logs errors that carry no code (bugs, not client mistakes) with the request's id. */
export const logUnexpectedErrors: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ contextValue, errors }) {
        for (const error of errors) {
          if (error.extensions?.code || isDatabaseUnavailable(error.originalError)) continue; // outages: the database watcher logs them once
          contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error in a GraphQL operation');
        }
      },
    };
  },
};
