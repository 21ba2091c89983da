import type { App } from '../../../platform/context.js';
import { kamailioRpc } from './kamailio-rpc.js';
import { telephonyRuntime } from './telephony-runtime.js';

/**
 * Tells this instance's Kamailio that trunks changed: it reloads their source addresses (the view
 * `kamailio.address`) at once, so an INVITE from a new trunk is let through to the API and one from
 * a removed trunk is refused before it. Kamailios of other instances reload every 30 s on their own.
 * Never fails the caller: without Kamailio (telephony off, or down) there is nothing to tell, and a
 * Kamailio that starts loads the view anyway.
 */
export async function trunkSourcesChanged(app: App): Promise<void> {
  if (!telephonyRuntime(app)) return;
  await kamailioRpc(app, 'permissions.addressReload').catch((err: Error) => app.log.warn({ err }, 'Kamailio did not reload the trunks\' addresses'));
}
