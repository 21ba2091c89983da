export { ChannelAccount, ChannelAccountKind, ChannelMessage } from './channel-account.entity.js';
export { ChannelAccountResolver } from './channel-account.resolver.js';
export { registerChannelRoutes } from './channels.http.js';
export { registerChannelJobs } from './channels.jobs.js';
export { ADAPTER_CHANNELS, queueSend } from './outbound.js';
