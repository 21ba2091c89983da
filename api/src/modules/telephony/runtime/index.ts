export { onKamailioReady, startTelephony, telephonyHealth, telephonyRuntime, type TelephonyRuntime } from './telephony-runtime.js';
export { kamailioRpc } from './kamailio-rpc.js';
export { rtpengineNg } from './rtpengine-ng.js';
