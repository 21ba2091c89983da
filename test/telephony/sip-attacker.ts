/**
 * What the SIP hardening tests attack with: sipp sending from another loopback address (127.0.0.2,
 * never a trunk's source in these tests), and a "carrier" on a third address (127.0.0.3) that
 * records every UDP datagram and TCP connection reaching it, so a test can say nothing left the box.
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, type SippResult } from '../../api/src/testing/telephony.js';

/** The attacker's address; a test that gets it banned uses another one of 127.0.0.0/8 (`attackerIp`). */
export const ATTACKER_IP = '127.0.0.2';
let nextAttacker = 10;
/** A loopback address no other test of this process sends from. */
export const attackerIp = (): string => `127.0.0.${nextAttacker++}`;
export const CARRIER_IP = '127.0.0.3';

export interface ListeningCarrier {
  /** host:port it listens on (UDP and TCP). */
  target: string;
  /** Every SIP message (UDP datagram or TCP chunk) that reached it. */
  received: string[];
  stop(): Promise<void>;
}

/** Listens on UDP and TCP on the same port of CARRIER_IP and keeps what arrives. */
export async function listeningCarrier(): Promise<ListeningCarrier> {
  for (let attempt = 0; ; attempt++) {
    const port = await freeUdpPorts();
    const udp = createSocket('udp4');
    const tcp = createServer();
    const received: string[] = [];
    const sockets = new Set<Socket>();
    try {
      udp.bind(port, CARRIER_IP);
      await once(udp, 'listening');
      tcp.listen(port, CARRIER_IP);
      await once(tcp, 'listening');
    } catch (err) {
      udp.close();
      tcp.close();
      if (attempt > 10) throw err;
      continue;
    }
    udp.on('message', (m) => received.push(m.toString()));
    tcp.on('connection', (s) => {
      sockets.add(s);
      received.push('(TCP connection)');
      s.on('data', (d) => received.push(d.toString()));
      s.on('close', () => sockets.delete(s));
    });
    return {
      target: `${CARRIER_IP}:${port}`,
      received,
      async stop() {
        for (const s of sockets) s.destroy();
        await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
      },
    };
  }
}

/**
 * The spoofed in-dialog request (`telephony/sipp/spoofed-in-dialog.xml`): a made-up To-tag, a
 * Route naming the proxy, the Request-URI `number@target`. `tcp` sends it over TCP to `port`.
 */
export async function spoofedInDialog(proxy: number, method: 'INVITE' | 'MESSAGE', target: string, options: { tcp?: boolean; timeoutMs?: number } = {}): Promise<SippResult> {
  const scenario = join(SIPP_SCENARIOS, `spoofed-in-dialog-${method.toLowerCase()}.xml`);
  const result = await runSipp([`127.0.0.1:${proxy}`, '-sf', scenario, '-m', '1', '-s', '00442079460000', '-key', 'target', target,
    '-i', ATTACKER_IP, '-p', String(await freeUdpPorts()), ...(options.tcp ? ['-t', 't1'] : [])], options.timeoutMs ?? 6000);
  assertSent(result, method);
  return result;
}

/** sipp's closing screen counts the messages it sent: a test must not pass because sipp never sent one. */
export function assertSent(result: SippResult, method: string): void {
  if (!new RegExp(`${method} -+>\\s+[1-9]`).test(result.output)) throw new Error(`sipp did not send its ${method}:\n${result.output.slice(0, 3000)}`);
}

/**
 * How many responses sipp got: the counts of its closing screen's `NNN <----` lines (a response it
 * expected), plus the one that ended it when it was not expected ("received 'SIP/2.0 NNN").
 */
export function responsesReceived(result: SippResult): number {
  const from = result.output.lastIndexOf('Messages  Retrans');
  const screen = from < 0 ? '' : result.output.slice(from, result.output.indexOf('Test Terminated', from) >>> 0);
  const expected = [...screen.matchAll(/^\s+\d{3} <-+(?:\s+E-RTD\d)?\s+(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  const unexpected = (result.output.match(/received 'SIP\/2\.0 \d{3} /g) ?? []).length;
  return expected + unexpected;
}

/** OPTIONS to the proxy from `ip` with User-Agent `ua`: `count` of them at `rate` per second. */
export async function optionsProbe(proxy: number, ip: string, ua: string, options: { count?: number; rate?: number; messageLog?: string } = {}): Promise<SippResult> {
  const count = options.count ?? 1;
  const result = await runSipp([`127.0.0.1:${proxy}`, '-sf', join(SIPP_SCENARIOS, 'options-probe.xml'), '-m', String(count), '-r', String(options.rate ?? 10),
    '-key', 'ua', ua, '-i', ip, '-p', String(await freeUdpPorts()), ...(options.messageLog ? ['-trace_msg', '-message_file', options.messageLog] : [])],
  5000 + (count / (options.rate ?? 10)) * 1000);
  assertSent(result, 'OPTIONS');
  return result;
}
