/**
 * Ending a call from the API: `dlg.end_dlg` makes Kamailio's dialog module send BYE to both legs
 * and end the dialog (its `event_route[dialog:end]` then posts `ended` and releases the media).
 * Two things in kamailio.cfg make that reliable:
 * - an agent on WebSocket is reached over its connection: the Contact the dialog stores carries
 *   nathelper's `;alias=` (`set_contact_alias`), which tm follows for the dialog's own requests;
 * - Kamailio 5.6 skips the callee's BYE when the caller's 200 to the first BYE was processed
 *   before it was sent; the Call-ID marked here (htable `hangup`) makes those replies wait 20 ms.
 */
import type { App } from '../../../platform/context.js';
import { kamailioRpc } from '../runtime/kamailio-rpc.js';

/** One dialog as `dlg.dlg_list` shows it (the fields the API reads). */
export interface KamailioDialog {
  h_entry: number;
  h_id: number;
  'call-id': string;
  state: number;
}

export const isDialog = (d: unknown): d is KamailioDialog =>
  !!d && typeof d === 'object' && Number.isInteger((d as KamailioDialog).h_entry) && Number.isInteger((d as KamailioDialog).h_id);

/** Ends one dialog both ways. Throws when Kamailio cannot be reached. */
export async function endDialog(app: App, d: KamailioDialog): Promise<void> {
  await kamailioRpc(app, 'htable.sets', ['hangup', d['call-id'], 'api']);
  await kamailioRpc(app, 'dlg.end_dlg', [d.h_entry, d.h_id]);
}
