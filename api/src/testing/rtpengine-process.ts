/** A real rtpengine (userspace, pcap recording) started by a test, on free ports, stopped by it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { freePort } from '../platform/net.js';
import { rtpengineNg as ng } from '../modules/telephony/runtime/rtpengine-ng.js';

export interface Rtpengine {
  ngPort: number;
  stop(): Promise<void>;
}

/** `count` consecutive UDP ports on 127.0.0.1 that were free a moment ago. */
export async function freeUdpRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + 2 * Math.floor(Math.random() * 15000);
    const sockets = [];
    let ok = true;
    for (let p = base; p < base + count && ok; p++) {
      const s = createSocket('udp4');
      s.on('error', () => void (ok = false));
      s.bind(p, '127.0.0.1');
      await Promise.race([once(s, 'listening'), new Promise((r) => setTimeout(r, 50))]);
      sockets.push(s);
    }
    for (const s of sockets) s.close();
    if (ok) return base;
  }
  throw new Error('no free UDP port range');
}

export async function startRtpengine(recordingDir: string, bin = '/usr/bin/rtpengine'): Promise<Rtpengine> {
  await mkdir(recordingDir, { recursive: true });
  const ngPort = await freePort();
  const portMin = await freeUdpRange(40);
  const child: ChildProcess = spawn(bin, [
    '--config-file=none', '--table=-1', '--foreground', '--log-stderr', '--log-level=4',
    `--listen-ng=127.0.0.1:${ngPort}`, '--interface=127.0.0.1', `--port-min=${portMin}`, `--port-max=${portMin + 39}`,
    '--recording-method=pcap', `--recording-dir=${recordingDir}`, '--delete-delay=0',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d) => void (log += d));
  const exited = once(child, 'exit');
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`rtpengine exited: ${log}`);
    const pong = await ng(ngPort, { command: 'ping' }, 200).catch(() => null);
    if (pong?.result === 'pong') break;
    if (i > 50) throw new Error(`rtpengine did not answer: ${log}`);
  }
  return {
    ngPort,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
