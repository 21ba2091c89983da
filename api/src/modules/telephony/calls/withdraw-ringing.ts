/**
 * Takes a call back from an agent whose phone is still ringing (the agent was disabled, lost the
 * agent role or was deleted): Kamailio cancels the INVITE towards the phone (`tm.cancel`, with
 * the CSeq kamailio.cfg kept in htable `ringing`), and its failure_route answers the caller 480
 * (htable `withdrawn`) instead of passing on the phone's 487. The call's `failed` event then
 * ends the interaction as for any agent who does not answer. A call no longer ringing (answered,
 * or over) has nothing to cancel.
 */
import type { App } from '../../../platform/context.js';
import { kamailioRpc } from '../runtime/kamailio-rpc.js';

/** `htable.get`'s answer, `{ item: { name, value } }`, as the INVITE's CSeq number. */
function cseqOf(reply: unknown): string | null {
  const value = (reply as { item?: { value?: unknown } } | null)?.item?.value;
  return value === undefined || value === null || !/^\d+$/.test(String(value)) ? null : String(value);
}

export async function withdrawRinging(app: App, sipCallId: string): Promise<boolean> {
  if (!app.config.telephony.enabled) return false;
  const cseq = cseqOf(await kamailioRpc(app, 'htable.get', ['ringing', sipCallId]).catch(() => null));
  if (!cseq) return false;
  await kamailioRpc(app, 'htable.sets', ['withdrawn', sipCallId, 'api']);
  await kamailioRpc(app, 'tm.cancel', [sipCallId, cseq]);
  app.log.info({ sipCallId }, 'withdrew a call ringing an agent whose account was removed');
  return true;
}
