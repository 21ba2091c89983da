/** A plain RTP endpoint for tests: one UDP socket that sends G.711 frames and counts what arrives. */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';

export interface RtpPeer {
  port: number;
  socket: Socket;
  received: number;
  /** Sends each payload as one RTP packet, 20 ms apart, to host:port with this payload type and SSRC. */
  send(to: { host: string; port: number }, payloads: Buffer[], payloadType: number, ssrc: number): Promise<void>;
  close(): void;
}

export async function rtpPeer(): Promise<RtpPeer> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const peer: RtpPeer = {
    port: socket.address().port,
    socket,
    received: 0,
    async send(to, payloads, payloadType, ssrc) {
      let seq = Math.floor(Math.random() * 1000);
      let ts = Math.floor(Math.random() * 100000);
      for (const payload of payloads) {
        const header = Buffer.alloc(12);
        header[0] = 0x80;
        header[1] = payloadType & 0x7f;
        header.writeUInt16BE(seq++ & 0xffff, 2);
        header.writeUInt32BE(ts >>> 0, 4);
        header.writeUInt32BE(ssrc >>> 0, 8);
        ts += payload.length;
        socket.send(Buffer.concat([header, payload]), to.port, to.host);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => socket.close(),
  };
  socket.on('message', () => void peer.received++);
  return peer;
}
