import type { App } from './context.js';

/**
 * Runs `work` every `seconds` on an in-process timer, never two runs at once (a tick that finds
 * the previous run still going is skipped); a failure is logged as `failed` and the next tick
 * tries again. The timer never keeps the process alive and stops with the app; the returned
 * function stops it earlier.
 */
export function every(app: App, seconds: number, failed: string, work: () => Promise<unknown>): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    work()
      .catch((err: unknown) => app.log.error({ err }, failed))
      .finally(() => (running = false));
  }, seconds * 1000);
  timer.unref();
  const stop = () => clearInterval(timer);
  app.onStop(async () => stop());
  return stop;
}
