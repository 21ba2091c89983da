/**
 * rtpengine's metadata file of a pcap recording: one block per SDP it produced, "SDP mode: offer"
 * (sent to the callee: its ports face the callee) and "SDP mode: answer" (sent to the caller: its
 * ports face the caller). Answers the ports on which rtpengine received the caller's media.
 */
export function callerPorts(metadata: string): Set<number> {
  const ports = new Set<number>();
  for (const block of metadata.split(/\n(?=Timestamp started)/)) {
    if (!/^SDP mode: answer\s*$/m.test(block)) continue;
    for (const m of block.matchAll(/^m=audio (\d+) /gm)) {
      ports.add(Number(m[1]));
      const rtcp = /^a=rtcp:(\d+)/m.exec(block);
      if (rtcp) ports.add(Number(rtcp[1]));
    }
  }
  return ports;
}

/** The pcap file named on the metadata's first line. */
export const pcapPathOf = (metadata: string): string | null => metadata.split('\n', 1)[0]?.trim() || null;
