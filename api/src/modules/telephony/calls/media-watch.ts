/**
 * Calls whose media died. A peer that vanishes without a BYE (a carrier cut off, a phone unplugged,
 * a browser killed) leaves the dialog up in Kamailio for its 4-hour limit, and with it the agent
 * (BUSY), the interaction (ACTIVE) and one of the tenant's channels. rtpengine knows when each side
 * last sent something; this watch asks it (ng `query`) about every answered call in progress and
 * ends, both ways, each call one of whose sides has sent no RTP or RTCP for
 * `callMediaTimeoutSeconds` (CALL_MEDIA_TIMEOUT_SECONDS): BYE to both legs (`dlg.end_dlg`), the
 * interaction to WRAP_UP, `Call.endedBy = 'media-timeout'` with `sipCode` 408.
 *
 * Why the API and not rtpengine's own `--timeout` alone: rtpengine 10.5 drops a call only when
 * every stream is silent, and tells no one (its `--b2b-url` speaks XML-RPC to SEMS or Kamailio's
 * xmlrpc module, neither of which runs here), so Kamailio and the API would keep the call. Its
 * timeouts stay a backstop (`rtpengine-args.ts`): a call rtpengine already dropped while Kamailio
 * still holds the confirmed dialog is ended here too. A side that asked not to send (hold:
 * `sendonly`/`inactive` in its SDP: rtpengine's media flag `recv` is then off) is not expected to.
 */
import type { App } from '../../../platform/context.js';
import { platformEm } from '../../../platform/db/orm.js';
import { every } from '../../../platform/periodic.js';
import { kamailioRpc } from '../runtime/kamailio-rpc.js';
import { rtpengineNg } from '../runtime/rtpengine-ng.js';
import { telephonyRuntime } from '../runtime/index.js';
import { isDialog } from './dialog-bye.js';
import { endCallBothWays } from './hang-up.js';

/** `Call.endedBy` of a call ended for lack of media. */
export const MEDIA_TIMEOUT = 'media-timeout';
/** `Call.sipCode` of such a call: 408 Request Timeout. */
const MEDIA_TIMEOUT_CODE = 408;
/** Kamailio's dialog state of an answered call (confirmed by the ACK). */
const DIALOG_CONFIRMED = 4;

interface Side {
  medias?: { flags?: unknown[]; streams?: { 'last packet'?: number }[] }[];
}

/**
 * The side (rtpengine tag) of an rtpengine `query` answer that has been silent for `timeoutSeconds`
 * at `nowSeconds`, counting from the answer at the earliest (before it, a ringing phone sends
 * nothing), or null while every side that should send does. Pure: rtpengine's clock is the wall clock.
 */
export function silentSide(query: Record<string, unknown>, answeredSeconds: number, nowSeconds: number, timeoutSeconds: number): string | null {
  const tags = (query.tags ?? {}) as Record<string, Side>;
  for (const [tag, side] of Object.entries(tags)) {
    const medias = side.medias ?? [];
    // "recv": rtpengine expects media from this side (its SDP did not say sendonly/inactive)
    const sends = medias.some((m) => (m.flags ?? []).map(String).includes('recv'));
    if (!sends) continue;
    const heard = Math.max(answeredSeconds, ...medias.flatMap((m) => (m.streams ?? []).map((s) => Number(s['last packet']) || 0)));
    if (nowSeconds - heard >= timeoutSeconds) return tag;
  }
  return null;
}

interface LiveCall {
  sip_call_id: string;
  interaction_id: string;
  tenant_id: string;
  answered_at: Date;
}

/** Answered calls in progress, answered at least `timeoutSeconds` ago (platform-wide: each is checked against this instance's rtpengine). */
async function answeredCalls(app: App, timeoutSeconds: number): Promise<LiveCall[]> {
  return platformEm(app.orm).getConnection().execute<LiveCall[]>(
    `select c.sip_call_id, c.interaction_id, c.tenant_id, i.answered_at from call c
       join interaction i on i.id = c.interaction_id and i.tenant_id = c.tenant_id
      where c.ended_at is null and i.channel = 'VOICE' and i.state = 'ACTIVE' and i.answered_at <= ?
      order by i.answered_at limit 1000`,
    [new Date(app.clock.now().getTime() - timeoutSeconds * 1000)],
  );
}

/** Why the call's media is dead, or null when it lives (or is not this instance's). */
async function deadMedia(app: App, call: LiveCall, timeoutSeconds: number): Promise<string | null> {
  const q = await rtpengineNg(app.config.telephony.rtpengineNgPort, { command: 'query', 'call-id': call.sip_call_id }, 2000);
  if (q.result === 'ok') {
    const tag = silentSide(q, Math.floor(new Date(call.answered_at).getTime() / 1000), Math.floor(Date.now() / 1000), timeoutSeconds);
    return tag === null ? null : `no media from ${tag} for ${timeoutSeconds} s`;
  }
  // rtpengine dropped it (its own timeout, a restart): dead if this Kamailio still holds the answered dialog
  const listed = await kamailioRpc(app, 'dlg.dlg_list', [call.sip_call_id]).catch(() => []);
  const dialogs = (Array.isArray(listed) ? listed : [listed]).filter(isDialog);
  return dialogs.some((d) => d.state === DIALOG_CONFIRMED) ? 'rtpengine no longer carries its media' : null;
}

/** One pass: ends every answered call whose media died; returns the interaction ids it ended. */
export async function endDeadCalls(app: App): Promise<string[]> {
  const timeout = app.config.telephony.callMediaTimeoutSeconds;
  if (!timeout) return [];
  const ended: string[] = [];
  for (const call of await answeredCalls(app, timeout)) {
    const why = await deadMedia(app, call, timeout).catch((err: Error) => {
      app.log.warn({ err, interactionId: call.interaction_id }, 'media watch: could not check a call');
      return null;
    });
    if (!why) continue;
    app.log.warn({ tenantId: call.tenant_id, interactionId: call.interaction_id, sipCallId: call.sip_call_id, why }, 'ending a call whose media died');
    try {
      await endCallBothWays(app, { sipCallId: call.sip_call_id, interactionId: call.interaction_id }, { by: MEDIA_TIMEOUT, code: MEDIA_TIMEOUT_CODE });
      ended.push(call.interaction_id);
    } catch (err) {
      app.log.warn({ err, interactionId: call.interaction_id }, 'media watch: Kamailio could not end the call; trying again next time');
    }
  }
  return ended;
}

const watching = new WeakSet<App>();

/**
 * Checks every few seconds (a quarter of the timeout, 1 to 15 s) while this app's telephony runs;
 * started each time Kamailio is ready (once per app), it stops by itself when telephony stops.
 */
export function startMediaWatch(app: App): void {
  const timeout = app.config.telephony.callMediaTimeoutSeconds;
  if (!timeout || watching.has(app)) return;
  watching.add(app);
  const stop = every(app, Math.min(Math.max(timeout / 4, 1), 15), 'media watch failed', async () => {
    if (telephonyRuntime(app)) return endDeadCalls(app);
    stop();
    watching.delete(app);
  });
}
