import type { App } from '../../../platform/context.js';
import { rtpengineNg } from '../runtime/rtpengine-ng.js';
import { ensureHoldMusic } from './hold-music.js';

/**
 * The media side of a caller who waits: an early-media session in rtpengine facing the caller and
 * rtpengine playing music on hold into it. The caller's side is named by the INVITE's Call-ID and
 * From-tag, the same session Kamailio later re-offers towards the agent (route[BRANCH_MEDIA]), so
 * the caller keeps one media path from the 183 to the agent's 200.
 */

/** rtpengine's flags for a trunk's leg, as route[PLAIN_FLAGS] in kamailio.cfg (G.711 only, plain RTP). */
const PLAIN = {
  ICE: 'remove',
  'transport-protocol': 'RTP/AVP',
  'rtcp-mux': ['demux'],
  DTLS: 'off',
  SDES: ['off'],
  replace: ['origin', 'session-connection'],
  flags: ['port-latching'],
  codec: { strip: ['opus', 'G722', 'red', 'ISAC', 'ILBC'] },
};

/** The "other side" while the caller waits: nobody; rtpengine sends what the caller says to a discard port. */
const blackHole = (codecs: string) =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio 9 RTP/AVP ${codecs}`, 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');

const ok = (reply: Record<string, unknown>, what: string) => {
  if (reply.result !== 'ok') throw new Error(`rtpengine ${what}: ${String(reply['error-reason'] ?? reply.result)}`);
  return reply;
};

/**
 * Anchors the waiting caller in rtpengine and starts the music: `offer` with the caller's SDP (when
 * Kamailio has not offered it yet), `answer` from a to-tag of our own with a black-hole SDP, and
 * `play media` to the caller's From-tag, repeated for the longest wait. Answers the SDP for the 183.
 */
export async function holdCaller(app: App, call: { callId: string; fromTag: string; sdp?: string; interactionId: string }): Promise<string> {
  const port = app.config.telephony.rtpengineNgPort;
  const base = { 'call-id': call.callId, 'from-tag': call.fromTag };
  if (call.sdp) ok(await rtpengineNg(port, { command: 'offer', ...base, sdp: call.sdp, ...PLAIN }), 'offer');
  const codecs = call.sdp && !/^m=audio .*\b8\b/m.test(call.sdp) ? '0' : '8 0';
  const answer = ok(await rtpengineNg(port, { command: 'answer', ...base, 'to-tag': holdTag(call.interactionId), sdp: blackHole(codecs), ...PLAIN }), 'answer');
  await playHoldMusic(app, call.callId, call.fromTag);
  return String(answer.sdp);
}

/** The to-tag of the waiting side: one per interaction (the 183's own To-tag is Kamailio's; rtpengine does not need them equal). */
const holdTag = (interactionId: string) => `hold-${interactionId.replace(/-/g, '').slice(0, 24)}`;

/** Music on hold to the caller, looped for far longer than any wait may last. */
export async function playHoldMusic(app: App, callId: string, fromTag: string): Promise<void> {
  const file = await ensureHoldMusic(app.config);
  ok(await rtpengineNg(app.config.telephony.rtpengineNgPort, { command: 'play media', 'call-id': callId, 'from-tag': fromTag, file, 'repeat-times': 1000 }), 'play media');
}

/** Stops the music (the agent answered); a call rtpengine no longer has is fine. */
export async function stopHoldMusic(app: App, callId: string, fromTag: string): Promise<void> {
  await rtpengineNg(app.config.telephony.rtpengineNgPort, { command: 'stop media', 'call-id': callId, 'from-tag': fromTag }).catch((err: Error) =>
    app.log.warn({ err, callId }, 'could not stop the music on hold'),
  );
}
