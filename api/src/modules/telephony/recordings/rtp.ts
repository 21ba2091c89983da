/** One RTP packet (RFC 3550): header fields and the payload without CSRCs, extension or padding. */
export interface RtpPacket {
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

export function parseRtp(b: Buffer): RtpPacket | null {
  if (b.length < 12 || b[0]! >> 6 !== 2) return null;
  const payloadType = b[1]! & 0x7f;
  // 72-79 are RTCP packet types when RTCP shares the port (rtcp-mux)
  if (payloadType >= 72 && payloadType <= 79) return null;
  let start = 12 + (b[0]! & 0x0f) * 4;
  if (b[0]! & 0x10) {
    if (b.length < start + 4) return null;
    start += 4 + b.readUInt16BE(start + 2) * 4;
  }
  let end = b.length;
  if (b[0]! & 0x20) end -= b[b.length - 1]!;
  if (start > end) return null;
  return { payloadType, sequence: b.readUInt16BE(2), timestamp: b.readUInt32BE(4), ssrc: b.readUInt32BE(8), payload: b.subarray(start, end) };
}
