import type { App } from '../../../platform/context.js';
import { tenantEm } from '../../../platform/db/orm.js';
import { AppError, ErrorCode, notFound } from '../../../platform/errors.js';
import { Interaction } from '../../interactions/interaction.entity.js';
import { kamailioRpc } from '../runtime/kamailio-rpc.js';
import { rtpengineNg } from '../runtime/rtpengine-ng.js';
import { liveCall } from '../transfers/request-transfer.js';
import { applyCallEvent } from './call-events.js';
import { endDialog, isDialog } from './dialog-bye.js';

/**
 * A supervisor ends a call in progress: Kamailio sends BYE both ways (`endDialog`), and the
 * call's `ended` event (by 'api') moves the interaction on.
 * A call Kamailio no longer knows (lost events) is ended here at once, which also frees its
 * telephony channel.
 */
export async function hangUp(app: App, tenantId: string, interactionId: string): Promise<Interaction> {
  const em = tenantEm(app.orm, tenantId);
  const interaction = await em.findOne(Interaction, { id: interactionId, tenant: tenantId });
  if (!interaction) throw notFound('Interaction');
  const call = await liveCall(em, tenantId, interactionId);
  if (!call) throw new AppError(ErrorCode.CONFLICT, 'The interaction has no call in progress');
  try {
    await endCallBothWays(app, { sipCallId: call.sipCallId, interactionId }, { by: 'api' });
  } catch (err) {
    app.log.error({ err, tenantId, interactionId }, 'hang-up through Kamailio failed');
    throw new AppError(ErrorCode.TELEPHONY_UNAVAILABLE, 'The call could not be ended now; try again');
  }
  return em.fork().findOneOrFail(Interaction, { id: interactionId, tenant: tenantId });
}

/**
 * Ends a call from the API, whoever asks (a supervisor's `hangUpCall`, the media watch): rtpengine
 * forgets the media (which completes the recording), the call's `ended` event is applied with `by`
 * (stored as `Call.endedBy`: the end's reason) and `code` (`Call.sipCode`, 200 unless said), then
 * Kamailio sends BYE both ways (`endDialog`) if it still has the dialog. The event goes first so the
 * reason is the call's: Kamailio's own `ended` for a dialog ended over JSON-RPC says `api`, comes
 * later (when it comes at all) and changes nothing. Throws, with nothing done, when Kamailio cannot
 * be reached. Returns whether Kamailio had a dialog to end.
 */
export async function endCallBothWays(app: App, call: { sipCallId: string; interactionId: string }, end: { by: string; code?: number }): Promise<boolean> {
  const listed = await kamailioRpc(app, 'dlg.dlg_list', [call.sipCallId]);
  const dialogs = (Array.isArray(listed) ? listed : [listed]).filter(isDialog);
  if (!dialogs.length) app.log.warn({ interactionId: call.interactionId, by: end.by }, 'ending a call Kamailio has no dialog for; ending it here');
  await releaseMedia(app, call.sipCallId);
  await applyCallEvent(app, { callId: call.sipCallId, interactionId: call.interactionId, event: 'ended', by: end.by, code: end.code, at: app.clock.now().getTime() });
  for (const d of dialogs) await endDialog(app, d);
  return dialogs.length > 0;
}

/** Deletes the call in rtpengine at once (no delete delay), which also finishes its recording; a call rtpengine no longer has is fine. */
async function releaseMedia(app: App, sipCallId: string): Promise<void> {
  const t = app.config.telephony;
  const reply = await rtpengineNg(t.rtpengineNgPort, { command: 'delete', 'call-id': sipCallId, 'delete-delay': 0 }, 2000).catch((err: Error) => {
    app.log.warn({ err, sipCallId }, 'hang-up: rtpengine did not answer the delete');
    return null;
  });
  if (reply && reply.result !== 'ok' && !/unknown call/i.test(String(reply['error-reason'] ?? ''))) {
    app.log.warn({ sipCallId, reply }, 'hang-up: rtpengine refused the delete');
  }
}
