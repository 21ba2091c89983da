export { onKamailioReady, startTelephony, telephonyHealth, telephonyRuntime, type TelephonyRuntime } from './telephony-runtime.js';
export { kamailioRpc } from './kamailio-rpc.js';
export { rtpengineNg } from './rtpengine-ng.js';
export { trunkSourcesChanged } from './trunk-sources.js';
export { SipBanResolver } from './sip-bans.resolver.js';
