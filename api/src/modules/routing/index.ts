export { receive, type IncomingInteraction, type Reception } from './receive.js';
export { dispatchQueue } from './dispatch.js';
export { sweep } from './sweep.js';
export { RoutingResolver } from './routing.resolver.js';
export { registerRoutingJobs } from './routing.jobs.js';
export { QueueStatsResolver } from './queue-stats.resolver.js';
