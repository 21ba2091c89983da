import type { App } from '../../../platform/context.js';
import { tenantEm } from '../../../platform/db/orm.js';
import { AppError, ErrorCode, notFound } from '../../../platform/errors.js';
import { Interaction } from '../../interactions/interaction.entity.js';
import { kamailioRpc } from '../runtime/kamailio-rpc.js';
import { rtpengineNg } from '../runtime/rtpengine-ng.js';
import { liveCall } from '../transfers/request-transfer.js';
import { applyCallEvent } from './call-events.js';
import { endDialog, isDialog, type KamailioDialog } from './dialog-bye.js';

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
  let dialogs: KamailioDialog[];
  try {
    const listed = await kamailioRpc(app, 'dlg.dlg_list', [call.sipCallId]);
    dialogs = (Array.isArray(listed) ? listed : [listed]).filter(isDialog);
    for (const d of dialogs) await endDialog(app, d);
  } catch (err) {
    app.log.error({ err, tenantId, interactionId }, 'hang-up through Kamailio failed');
    throw new AppError(ErrorCode.TELEPHONY_UNAVAILABLE, 'The call could not be ended now; try again');
  }
  if (!dialogs.length) app.log.warn({ tenantId, interactionId }, 'hang-up: Kamailio has no such dialog; ending the call here');
  // Kamailio's own `ended` (event_route[dialog:end]) normally follows, but not always for a dialog
  // ended over JSON-RPC: the API ends what it asked to end. Media first, so the recording is
  // complete; whichever `ended` comes second changes nothing.
  await releaseMedia(app, call.sipCallId);
  await applyCallEvent(app, { callId: call.sipCallId, interactionId, event: 'ended', by: 'api', at: app.clock.now().getTime() });
  return em.fork().findOneOrFail(Interaction, { id: interactionId, tenant: tenantId });
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
