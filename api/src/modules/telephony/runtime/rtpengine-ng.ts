import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

/** rtpengine's control protocol (ng): a cookie, a space, a bencoded dictionary, over UDP. */
export type Bencodable = string | number | Buffer | Bencodable[] | { [key: string]: Bencodable | undefined };

export function bencode(value: Bencodable): Buffer {
  if (typeof value === 'number') return Buffer.from(`i${Math.trunc(value)}e`);
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const b = Buffer.isBuffer(value) ? value : Buffer.from(value);
    return Buffer.concat([Buffer.from(`${b.length}:`), b]);
  }
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return Buffer.concat([Buffer.from('d'), ...keys.flatMap((k) => [bencode(k), bencode(value[k]!)]), Buffer.from('e')]);
}

/** Decodes one value; byte strings come back as strings (rtpengine's are text). */
export function bdecode(buf: Buffer): unknown {
  let i = 0;
  const next = (): unknown => {
    const c = String.fromCharCode(buf[i]!);
    if (c === 'i') {
      const end = buf.indexOf(0x65, i);
      const n = Number(buf.subarray(i + 1, end).toString());
      i = end + 1;
      return n;
    }
    if (c === 'l' || c === 'd') {
      i++;
      const items: unknown[] = [];
      while (buf[i] !== 0x65) {
        if (i >= buf.length) throw new Error('bencode: truncated');
        items.push(next());
      }
      i++;
      if (c === 'l') return items;
      const dict: Record<string, unknown> = {};
      for (let k = 0; k < items.length; k += 2) dict[items[k] as string] = items[k + 1];
      return dict;
    }
    const colon = buf.indexOf(0x3a, i);
    if (colon < 0) throw new Error('bencode: bad string');
    const len = Number(buf.subarray(i, colon).toString());
    const s = buf.subarray(colon + 1, colon + 1 + len).toString();
    i = colon + 1 + len;
    return s;
  };
  return next();
}

/** Sends one ng command to rtpengine on 127.0.0.1:`port` and returns its reply dictionary. */
export async function rtpengineNg(port: number, command: Record<string, Bencodable>, timeoutMs = 2000, host = '127.0.0.1'): Promise<Record<string, unknown>> {
  const cookie = randomBytes(8).toString('hex');
  const socket = createSocket('udp4');
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`rtpengine did not answer ${String(command.command)} in ${timeoutMs} ms`)), timeoutMs);
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.on('message', (msg) => {
        const space = msg.indexOf(0x20);
        if (msg.subarray(0, space).toString() !== cookie) return;
        clearTimeout(timer);
        try {
          resolve(bdecode(msg.subarray(space + 1)) as Record<string, unknown>);
        } catch (err) {
          reject(err);
        }
      });
      socket.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(command)]), port, host);
    });
  } finally {
    socket.close();
  }
}
