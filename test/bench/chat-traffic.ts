/**
 * The measured traffic of chat.bench.ts, run in a worker thread so that it does not share an event
 * loop with the servers it measures. Every conversation's visitor sends BENCH_RATE messages a
 * second for BENCH_DURATION seconds (open loop: on schedule, whether or not earlier ones were
 * answered); the agent's socket receives them. Latency: visitor send start -> agent receives.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { agentEvents, gqlRaw, pool, SITE, sleep, visitorEvents, wsClient } from './chat-clients.js';

export interface TrafficJob {
  target: 'switchboard' | 'relay';
  rate: number;
  duration: number;
  /** Seconds to wait for stragglers after the last send. */
  drain: number;
  /** switchboard: visitors send (HTTP) and subscribe here; agents subscribe on agentUrl. relay: its ws:// URL, both. */
  visitorUrl: string;
  agentUrl: string;
  /** switchboard: the visitors' session tokens; relay: only their number counts. */
  visitors: string[];
  /** switchboard: the agents' access tokens; relay: only their number counts. */
  agents: string[];
}

export interface TrafficResult {
  sent: number;
  delivered: number;
  /** Sends answered with an error (or a failed request), by code. */
  errors: Record<string, number>;
  /** Sent without error but never received by the agent. */
  lost: number;
  /** Deliveries per second over the run, from the first send to the last delivery. */
  messagesPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Other problems: subscription errors, unexpected messages. */
  problems: string[];
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/** Runs a job in a worker thread. */
export function runTraffic(job: TrafficJob): Promise<TrafficResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('message', (result: TrafficResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`traffic worker exited (${code}) without a result`)));
  });
}

async function traffic(job: TrafficJob): Promise<TrafficResult> {
  const pending = new Map<string, number>(); // conversation:seq -> send start
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const problems: string[] = [];
  const problem = (p: string) => void (problems.length < 5 && problems.push(p));
  let sent = 0;
  let lastDelivery = 0;
  const received = (body: string) => {
    const key = /^bench (\d+:\d+)/.exec(body)?.[1];
    const start = key === undefined ? undefined : pending.get(key);
    if (start === undefined) return; // the chat's opening message, or a duplicate
    pending.delete(key!);
    lastDelivery = performance.now();
    latencies.push(lastDelivery - start);
  };
  const failed = (key: string, code: string) => {
    errors[code] = (errors[code] ?? 0) + 1;
    pending.delete(key);
  };

  let send: (conversation: number, key: string, body: string) => void;
  const closers: (() => unknown)[] = [];
  const agentOf = (c: number) => c % job.agents.length;
  if (job.target === 'switchboard') {
    const connected: Client[] = [];
    closers.push(() => Promise.all(connected.map((c) => c.dispose())));
    for (const token of job.agents) {
      const client = await wsClient(job.agentUrl, { token });
      connected.push(client);
      agentEvents(client, (e) => e.kind === 'MESSAGE' && e.message?.sender === 'CUSTOMER' && received(e.message.body), (err) => problem(`agent subscription: ${JSON.stringify(err)}`));
    }
    // the visitors' widgets: one WebSocket each, live once the chat so far has arrived (BENCH_VISITOR_WS=0: none)
    await pool(process.env.BENCH_VISITOR_WS === '0' ? [] : job.visitors, 50, async (token) => {
      const client = await wsClient(job.visitorUrl, { origin: SITE });
      connected.push(client);
      await new Promise<void>((resolve, reject) => visitorEvents(client, token, () => resolve(), reject));
    });
    await sleep(500); // the agents' subscriptions reach the event bus
    const SEND = 'mutation($t: String!, $b: String!) { sendVisitorMessage(token: $t, body: $b) { id } }';
    send = (c, key, body) =>
      void gqlRaw(job.visitorUrl, SEND, { t: job.visitors[c], b: body }, { origin: SITE }).then(
        (r) => r.errors?.length && failed(key, r.errors[0].extensions?.code ?? r.errors[0].message),
        (err: Error) => failed(key, err.cause instanceof Error ? err.cause.message : err.message),
      );
  } else {
    const open = (url: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url);
        socket.once('open', () => resolve(socket)).once('error', reject);
      });
    const sockets: WebSocket[] = [];
    closers.push(() => sockets.forEach((s) => s.terminate()));
    for (let a = 0; a < job.agents.length; a++) {
      const socket = await open(`${job.agentUrl}/?agent=${a}`);
      socket.on('message', (data) => received((JSON.parse(data.toString()) as { body: string }).body));
      sockets.push(socket);
    }
    const visitors: WebSocket[] = new Array(job.visitors.length);
    await pool(job.visitors, 50, async (_, c) => {
      visitors[c] = await open(`${job.visitorUrl}/?visitor=${c}&agent=${agentOf(c)}`);
      sockets.push(visitors[c]);
    });
    send = (c, key, body) => visitors[c].send(JSON.stringify({ c, body }), (err) => err && failed(key, err.message));
  }

  // Open loop: conversation c sends at offset(c) + k * interval, spread evenly over one interval.
  const interval = 1000 / job.rate;
  const n = job.visitors.length;
  const begin = performance.now() + 100;
  const end = begin + job.duration * 1000;
  await Promise.all(
    job.visitors.map(async (_, c) => {
      for (let seq = 0; ; seq++) {
        const at = begin + (c / n) * interval + seq * interval;
        if (at >= end) return;
        await sleep(Math.max(0, at - performance.now()));
        const key = `${c}:${seq}`;
        pending.set(key, performance.now());
        sent++;
        send(c, key, `bench ${key} from the visitor of conversation ${c}`);
      }
    }),
  );
  for (const stop = performance.now() + job.drain * 1000; pending.size && performance.now() < stop; ) await sleep(20);
  const lost = pending.size;
  await Promise.all(closers.map((close) => close()));
  const sorted = Float64Array.from(latencies).sort();
  const span = Math.max(job.duration * 1000, lastDelivery - begin) / 1000;
  return {
    sent,
    delivered: latencies.length,
    errors,
    lost,
    messagesPerSecond: latencies.length / span,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    problems,
  };
}

if (!isMainThread && (workerData as TrafficJob | undefined)?.target) {
  parentPort!.postMessage(await traffic(workerData as TrafficJob));
}
