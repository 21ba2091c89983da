import type { App } from '../../platform/context.js';
import { every } from '../../platform/periodic.js';
import { sweep } from './sweep.js';

/**
 * Offers lapse in seconds, so the routing sweep runs on an in-process timer in every instance
 * (it is idempotent and locks what it changes) rather than on the minute-grained job scheduler.
 */
export async function registerRoutingJobs(app: App): Promise<void> {
  const seconds = app.config.routingSweepSeconds;
  if (seconds) every(app, seconds, 'routing sweep failed', () => sweep(app));
}
