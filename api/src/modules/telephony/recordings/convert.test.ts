import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from './g711.js';
import { pcapToStereoWav } from './convert.js';
import { callerPorts } from './metadata.js';
import { appendStereoWav, readStereoWav, stereoWav } from './wav.js';

interface Pkt { us: number; dst: number; pt: number; ts: number; ssrc: number; byte: number }

/** A pcap (raw IPv4, link type 101) of RTP packets of 160 equal G.711 bytes each. */
function pcap(packets: Pkt[]): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(101, 20);
  const records = packets.map((p, n) => {
    const rtp = Buffer.concat([Buffer.from([0x80, p.pt, (n >> 8) & 0xff, n & 0xff]), Buffer.alloc(8), Buffer.alloc(160, p.byte)]);
    rtp.writeUInt32BE(p.ts >>> 0, 4);
    rtp.writeUInt32BE(p.ssrc, 8);
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(40000, 0);
    udp.writeUInt16BE(p.dst, 2);
    udp.writeUInt16BE(8 + rtp.length, 4);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 8 + rtp.length, 2);
    ip[9] = 17;
    const frame = Buffer.concat([ip, udp, rtp]);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(p.us / 1e6), 0);
    rec.writeUInt32LE(p.us % 1e6, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    return Buffer.concat([rec, frame]);
  });
  return Buffer.concat([head, ...records]);
}

const T0 = 1_800_000_000_000_000;
const A = linearToAlaw(4000);
const U = linearToUlaw(-3000);

describe('pcap -> stereo WAV', () => {
  it('places packets by RTP timestamp: losses stay silent, reordering lands in place, wraps continue', () => {
    const wav = readStereoWav(pcapToStereoWav(pcap([
      { us: T0, dst: 1000, pt: 8, ts: 0xffffff00, ssrc: 1, byte: A },
      { us: T0 + 40_000, dst: 1000, pt: 8, ts: 0xffffff00 + 320, ssrc: 1, byte: A }, // after the wrap, ahead of the one below
      { us: T0 + 45_000, dst: 1000, pt: 8, ts: 0xffffff00 + 160, ssrc: 1, byte: A },
      { us: T0 + 60_000, dst: 1000, pt: 101, ts: 0xffffff00 + 480, ssrc: 1, byte: 0x01 }, // a DTMF event: skipped
      // 640-799 lost
      { us: T0 + 100_000, dst: 1000, pt: 8, ts: 0xffffff00 + 800, ssrc: 1, byte: A },
      // the callee starts 50 ms later, in u-law
      { us: T0 + 50_000, dst: 2000, pt: 0, ts: 777, ssrc: 2, byte: U },
    ]), new Set([1000])));
    const left = Array.from(wav.left);
    const a = alawToLinear(A);
    assert.deepEqual([left.slice(0, 480).every((s) => s === a), left.slice(480, 800).every((s) => s === 0), left.slice(800, 960).every((s) => s === a)], [true, true, true]);
    assert.equal(wav.left.length, 960);
    const right = Array.from(wav.right);
    assert.deepEqual([right.slice(0, 400).every((s) => s === 0), right.slice(400, 560).every((s) => s === ulawToLinear(U))], [true, true]);
  });

  it('takes the first stream heard as the caller when there is no metadata', () => {
    const wav = readStereoWav(pcapToStereoWav(pcap([
      { us: T0, dst: 2000, pt: 0, ts: 0, ssrc: 9, byte: U },
      { us: T0, dst: 1000, pt: 8, ts: 0, ssrc: 8, byte: A },
    ])));
    assert.deepEqual([wav.left[0], wav.right[0]], [ulawToLinear(U), alawToLinear(A)]);
  });

  it("reads the caller-facing ports from rtpengine's metadata", () => {
    const meta = '/x.pcap\n\n\nTimestamp started ms: 1\nSDP mode: offer\nSDP before RTP packet: 1\n\nm=audio 41000 RTP/AVP 8\na=rtcp:41001\n\nTimestamp started ms: 2\nSDP mode: answer\nSDP before RTP packet: 1\n\nm=audio 41014 RTP/AVP 8\na=rtcp:41015\n';
    assert.deepEqual([...callerPorts(meta)], [41014, 41015]);
  });

  it("appends a call's next leg after the first, channel by channel", () => {
    const first = stereoWav(Int16Array.from([1, 2, 3]), Int16Array.from([-1, -2, -3]));
    const next = stereoWav(Int16Array.from([4, 5]), Int16Array.from([-4, -5]));
    const both = readStereoWav(appendStereoWav(first, next));
    assert.deepEqual([Array.from(both.left), Array.from(both.right), both.rate], [[1, 2, 3, 4, 5], [-1, -2, -3, -4, -5], 8000]);
    assert.throws(() => appendStereoWav(first, stereoWav(Int16Array.from([1]), Int16Array.from([1]), 16000)), /16000 Hz/);
  });

  it('decodes G.711 both ways within its 8-bit precision', () => {
    for (let s = -32000; s <= 32000; s += 1000) {
      assert.ok(Math.abs(alawToLinear(linearToAlaw(s)) - s) <= Math.max(16, Math.abs(s) / 16), `A-law ${s}`);
      assert.ok(Math.abs(ulawToLinear(linearToUlaw(s)) - s) <= Math.max(8, Math.abs(s) / 16), `u-law ${s}`);
    }
    assert.deepEqual([alawToLinear(0xd5), ulawToLinear(0xff)], [8, 0]);
  });
});
