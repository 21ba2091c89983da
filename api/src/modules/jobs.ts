import type { App } from '../platform/context.js';

/**
 * Background work of each module: workers and schedules registered at start-up, once per
 * instance (pg-boss makes each job run once across instances). A module adds its function here.
 */
export const jobRegistrations: ((app: App) => Promise<void>)[] = [];
