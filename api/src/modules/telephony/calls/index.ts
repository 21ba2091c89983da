export { registerCallRoutes } from './calls.http.js';
export { DidResolver, SipTrunkResolver } from './trunk.resolver.js';
export { Call } from './call.entity.js';
export { Did, SipTrunk } from './trunk.entity.js';
export { CallControlResolver } from './call-control.resolver.js';
export { registerCallJobs } from './calls.jobs.js';
export { CallInfoResolver } from './call-info.resolver.js';
