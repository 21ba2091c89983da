import { subscribe, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from '../platform/context.js';

/**
 * graphql-ws's `subscribe` with a fresh view of the data for every event: one context serves a
 * subscription for as long as the socket lives, so its DataLoaders and entity manager (identity
 * map) would otherwise keep every contact, agent or queue an event touched, stale and growing.
 * graphql-js executes a subscription's events one at a time, each when its iterator is asked for
 * the next one, so renewing the context right before `next()` gives each event its own.
 */
export function subscribeWithFreshContext(renew: (ctx: Context) => void) {
  return async (args: ExecutionArgs) => {
    const result = await subscribe(args);
    if (!(Symbol.asyncIterator in result)) return result;
    const ctx = args.contextValue as Context;
    const events = result as AsyncGenerator<ExecutionResult>;
    const perEvent: AsyncGenerator<ExecutionResult> = {
      [Symbol.asyncIterator]: () => perEvent,
      next: () => {
        renew(ctx);
        return events.next();
      },
      return: (value) => events.return(value),
      throw: (err) => events.throw(err),
    };
    return perEvent;
  };
}
