import { alawToLinear, ulawToLinear } from './g711.js';
import { udpDatagrams } from './pcap.js';
import { parseRtp } from './rtp.js';
import { stereoWav } from './wav.js';

const RATE = 8000;
/** Longest recording written (4 hours): a bogus timestamp must not allocate gigabytes. */
const MAX_SAMPLES = 4 * 3600 * RATE;
const DECODERS: Record<number, (byte: number) => number> = { 0: ulawToLinear, 8: alawToLinear };

/**
 * A call's pcap (rtpengine: the packets each party sent it) as a stereo 8 kHz 16-bit WAV: left
 * the caller, right the callee. Packets belong to the caller when rtpengine received them on
 * one of `callerPorts` (its ports facing the caller, from the recording's metadata); without
 * them, the first stream heard is the caller's. Each stream (SSRC) starts where its first packet
 * was captured and places every packet by its RTP timestamp, so losses and pauses stay silent
 * and reordered packets land in their place. Only G.711 (A-law, u-law) is decoded.
 */
export function pcapToStereoWav(pcap: Buffer, callerPorts?: ReadonlySet<number>): Buffer {
  const channels: [Int16Array, Int16Array] = [new Int16Array(0), new Int16Array(0)];
  const streams = new Map<string, { startSample: number; lastTs: number; lastUnwrapped: number }>();
  const legByPort = new Map<number, 0 | 1>();
  let startUs: number | null = null;
  const grow = (channel: 0 | 1, length: number) => {
    if (channels[channel].length >= length) return;
    const bigger = new Int16Array(Math.min(MAX_SAMPLES, Math.max(length, channels[channel].length * 2)));
    bigger.set(channels[channel]);
    channels[channel] = bigger;
  };
  const lengths = [0, 0];
  for (const d of udpDatagrams(pcap)) {
    const rtp = parseRtp(d.payload);
    const decode = rtp && DECODERS[rtp.payloadType];
    if (!rtp || !decode) continue;
    startUs ??= d.timeUs;
    let channel = legByPort.get(d.dstPort);
    if (channel === undefined) {
      channel = callerPorts ? (callerPorts.has(d.dstPort) ? 0 : 1) : legByPort.size === 0 ? 0 : 1;
      legByPort.set(d.dstPort, channel);
    }
    const key = `${d.dstPort}:${rtp.ssrc}`;
    let s = streams.get(key);
    if (!s) {
      s = { startSample: Math.round(((d.timeUs - startUs) * RATE) / 1e6), lastTs: rtp.timestamp, lastUnwrapped: 0 };
      streams.set(key, s);
    }
    // the 32-bit timestamp wraps: take the shortest signed step from the newest packet so far
    const unwrapped = s.lastUnwrapped + ((rtp.timestamp - s.lastTs) | 0);
    if (unwrapped > s.lastUnwrapped) [s.lastTs, s.lastUnwrapped] = [rtp.timestamp, unwrapped];
    const at = s.startSample + unwrapped;
    if (at < 0 || at + rtp.payload.length > MAX_SAMPLES) continue;
    grow(channel, at + rtp.payload.length);
    const out = channels[channel];
    for (let i = 0; i < rtp.payload.length; i++) out[at + i] = decode(rtp.payload[i]!);
    lengths[channel] = Math.max(lengths[channel]!, at + rtp.payload.length);
  }
  return stereoWav(channels[0].subarray(0, lengths[0]), channels[1].subarray(0, lengths[1]), RATE);
}
