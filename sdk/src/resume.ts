/**
 * Resume from a cursor: for subscriptions the API can replay (interactionEvents and visitorEvents
 * take `afterMessageId`), the SDK remembers the newest cursor it delivered and puts it in the
 * variables every time the subscription is sent again after a lost connection. Events replayed
 * that were delivered already (the API resends from the cursor; events buffered before the drop)
 * are dropped, so each one reaches the caller once.
 */

export interface ResumeOptions<TResult> {
  /** The variable the API resumes after, e.g. `afterMessageId`. */
  variable: string;
  /** The cursor an event carries (e.g. its message id), or null/undefined for events without one. */
  cursorOf: (event: TResult) => string | null | undefined;
}

/** Cursors remembered to drop replays; older ones are forgotten first. */
const REMEMBERED = 5_000;

export interface ResumeState<TResult> {
  /** The variables to send now: the caller's, with the newest delivered cursor. */
  variables(): Record<string, unknown> | undefined;
  /** Whether an event is new (and remembers its cursor), or a replay to drop. */
  accept(event: TResult): boolean;
  /** The newest cursor delivered, or the one the caller started from. */
  readonly cursor: string | undefined;
}

/**
 * Cursors are compared as strings: the API's message ids are UUIDv7, whose text order is their
 * time order, so the newest delivered is the greatest.
 */
export function resumeState<TResult>(
  options: ResumeOptions<TResult>,
  variables: Record<string, unknown> | undefined,
): ResumeState<TResult> {
  const start = variables?.[options.variable];
  let cursor = typeof start === 'string' && start ? start : undefined;
  const seen = new Set<string>();
  return {
    get cursor() {
      return cursor;
    },
    variables: () => (cursor === undefined ? variables : { ...variables, [options.variable]: cursor }),
    accept(event) {
      const id = options.cursorOf(event);
      if (!id) return true;
      if (seen.has(id) || id === start) return false;
      seen.add(id);
      if (seen.size > REMEMBERED) seen.delete(seen.values().next().value as string);
      if (cursor === undefined || id > cursor) cursor = id;
      return true;
    },
  };
}
