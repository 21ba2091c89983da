import type { App } from '../platform/context.js';
import { registerMailJobs } from '../platform/mail-retry.js';
import { registerBillingJobs } from './billing/index.js';
import { registerSupportJobs } from './tickets/index.js';
import { registerStatusJobs } from './status/index.js';
import { registerRoutingJobs } from './routing/index.js';
import { registerRetentionJobs } from './interactions/index.js';
import { registerCallJobs } from './telephony/calls/index.js';
import { registerThrottleJobs } from '../platform/throttle/throttle.js';
import { registerSessionPurgeJobs } from './identity/session-purge.js';
import { registerChannelJobs } from './channels/index.js';

/**
 * Background work of each module: workers and schedules registered at start-up, once per
 * instance (pg-boss makes each job run once across instances). A module adds its function here.
 */
export const jobRegistrations: ((app: App) => Promise<void>)[] = [
  registerMailJobs,
  registerBillingJobs,
  registerSupportJobs,
  registerStatusJobs,
  registerRoutingJobs,
  registerRetentionJobs,
  registerCallJobs,
  registerThrottleJobs,
  registerSessionPurgeJobs,
  registerChannelJobs,
];
