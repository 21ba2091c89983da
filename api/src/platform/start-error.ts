/**
 * Why Switchboard could not start, in words an operator can act on: what went wrong, its cause,
 * and what to do. `main.ts` prints these at any log level before it exits with status 1.
 */
export class StartError extends Error {
  constructor(
    message: string,
    /** What the operator should do about it. */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartError';
  }
}

function causeText(err: unknown): string {
  if (err === undefined || err === null) return 'no reason was given';
  if (err instanceof AggregateError && err.errors.length) return err.errors.map(causeText).join('; ');
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return `${err.message || err.name}${code && !err.message.includes(code) ? ` (${code})` : ''}`;
  }
  return String(err);
}

/** The message, the causes it wraps, and what to do, for any error thrown while starting. */
export function explainStartError(err: unknown, env: NodeJS.ProcessEnv = process.env): { message: string; causes: string[]; hint: string } {
  const causes: string[] = [];
  for (let e = (err as Error | undefined)?.cause; e !== undefined && causes.length < 5; e = (e as Error).cause) causes.push(causeText(e));
  if (err instanceof StartError) return { message: err.message, causes, hint: err.hint };
  const message = causeText(err);
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const text = `${message} ${causes.join(' ')}`;
  let hint = 'read the cause above; run again with LOG_LEVEL=debug for every step, and see the README ("Configuration")';
  if (code === 'EADDRINUSE' || /EADDRINUSE/.test(text)) {
    hint = `another program already listens on HOST:PORT (${env.HOST || '127.0.0.1'}:${env.PORT || 4000}): stop it or set PORT to a free port`;
  } else if (code === 'EACCES' && /listen/.test(text)) {
    hint = 'this user may not listen on that port: choose PORT above 1023';
  } else if (/must be a non-negative integer|must be/.test(message)) {
    hint = 'fix that environment variable (see the README, "Configuration")';
  } else if (/redis/i.test(text) || (env.REDIS_URL && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(text) && !env.DATABASE_URL)) {
    hint = 'check REDIS_URL and that Redis is running, or unset REDIS_URL to keep events in this process';
  } else if (env.DATABASE_URL && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|password|authentication|does not exist|timeout/i.test(text)) {
    hint = 'check DATABASE_URL (host, port, user, password, database) and that PostgreSQL is running; unset it to use the embedded PostgreSQL under DATA_DIR';
  } else if (/ENOSPC/.test(text)) {
    hint = 'the disk is full: free space where DATA_DIR lives';
  }
  return { message, causes, hint };
}

/** The lines `main.ts` prints to stderr for a fatal start error. */
export function formatStartError(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const { message, causes, hint } = explainStartError(err, env);
  return [
    '',
    `Switchboard could not start: ${message}`,
    ...causes.map((c) => `  Cause: ${c}`),
    `  What to do: ${hint}`,
    '',
  ].join('\n');
}
