import type { App } from '../../platform/context.js';
import { sweep } from './sweep.js';

/**
 * Offers lapse in seconds, so the routing sweep runs on an in-process timer in every instance
 * (it is idempotent and locks what it changes) rather than on the minute-grained job scheduler.
 */
export async function registerRoutingJobs(app: App): Promise<void> {
  const seconds = app.config.routingSweepSeconds;
  if (!seconds) return;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep(app)
      .catch((err) => app.log.error({ err }, 'routing sweep failed'))
      .finally(() => (running = false));
  }, seconds * 1000);
  timer.unref();
  app.onStop(async () => clearInterval(timer));
}
