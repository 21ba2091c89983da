export { StatusComponent, StatusServer, StatusIncident, StatusIncidentUpdate, MaintenanceWindow, StatusSubscriber } from './status.entity.js';
export { StatusResolver } from './status.resolver.js';
export { registerStatusRoutes } from './status.page.js';
export { registerStatusJobs, runStatusSweep, STATUS_SWEEP_QUEUE } from './status.sweep.js';
export { STATUS_CHANGED } from './status.events.js';
