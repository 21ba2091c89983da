/** Reads the UDP datagrams of a classic libpcap file (what rtpengine's `pcap` recording writes). */

export interface Datagram {
  /** Capture time, microseconds since the epoch. */
  timeUs: number;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

/** Bytes before the IP header, by link type: null/loopback, Ethernet, raw IP (101, 12, 228), Linux cooked. */
const LINK_HEADER: Record<number, number> = { 0: 4, 1: 14, 12: 0, 101: 0, 228: 0, 113: 16 };

export function* udpDatagrams(file: Buffer): Generator<Datagram> {
  if (file.length < 24) throw new Error('not a pcap file');
  const magic = file.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && file.readUInt32BE(0) !== 0xa1b2c3d4 && file.readUInt32BE(0) !== 0xa1b23c4d) throw new Error('not a pcap file');
  const u32 = (at: number) => (le ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const nanos = (le ? magic : file.readUInt32BE(0)) === 0xa1b23c4d;
  const link = u32(20) & 0xffff;
  const skip = LINK_HEADER[link];
  if (skip === undefined) throw new Error(`unsupported pcap link type ${link}`);
  for (let at = 24; at + 16 <= file.length; ) {
    const seconds = u32(at);
    const fraction = u32(at + 4);
    const captured = u32(at + 8);
    const frame = file.subarray(at + 16, Math.min(file.length, at + 16 + captured));
    at += 16 + captured;
    const ip = frame.subarray(skip);
    const udp = udpOf(ip);
    if (!udp || udp.length < 8) continue;
    yield {
      timeUs: seconds * 1e6 + (nanos ? Math.floor(fraction / 1000) : fraction),
      srcPort: udp.readUInt16BE(0),
      dstPort: udp.readUInt16BE(2),
      payload: udp.subarray(8, Math.min(udp.length, udp.readUInt16BE(4))),
    };
  }
}

/** The UDP part of an IPv4 or IPv6 packet (no IPv6 extension headers), or null. */
function udpOf(ip: Buffer): Buffer | null {
  if (ip.length < 20) return null;
  const version = ip[0]! >> 4;
  if (version === 4) return ip[9] === 17 ? ip.subarray((ip[0]! & 0x0f) * 4) : null;
  if (version === 6 && ip.length >= 40) return ip[6] === 17 ? ip.subarray(40) : null;
  return null;
}
