/**
 * The measured traffic of chat.bench.ts, run in a worker thread so that it does not share an event
 * loop with the servers it measures. The visitors together offer `rates[0]` messages a second for
 * `stepSeconds`, then `rates[1]`, ... (open loop: each message leaves on schedule, whether or not
 * earlier ones were answered; message j goes to conversation j mod N, so every conversation sends
 * rate / N a second). After each step the worker judges whether the target kept up; after the
 * first step it did not keep up, it stops rising. Then it waits up to `drain` seconds for what is
 * still in flight, and says what became of every message.
 *
 * Kept up: delivered/s during the step >= 90% of the offered rate, and no more than one second's
 * worth of messages still in flight when the step ended. Latency: visitor send -> agent receives.
 */
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { summarize, type Latencies } from './bench-kit.js';
import { sleep } from './chat-clients.js';
import { connectTarget, type Answer, type TargetJob } from './chat-targets.js';

export interface TrafficJob extends TargetJob {
  /** Offered messages per second, all conversations together: one step each, in order. */
  rates: number[];
  stepSeconds: number;
  /** Longest wait, in seconds, for messages still in flight after the last step. */
  drain: number;
}

export interface StepResult {
  offered: number;
  sent: number;
  /** Messages that reached an agent during the step, per second of the step. */
  deliveredPerSecond: number;
  /** Send -> agent of this step's messages that were delivered (by the end of the run). */
  latency: Latencies;
  /** This step's messages refused or failed (by the end of the run): they count against keeping up. */
  turnedAway: number;
  /** Of every message sent so far, how many had neither reached an agent nor been refused or failed when the step ended. */
  inFlightAtEnd: number;
  /** The traffic worker's own event loop, busy share during the step: near 1, the load generator is the limit. */
  generatorBusy: number;
  keptUp: boolean;
}

/** What became of each message by the end of the run; every sent message is counted once. */
export interface Outcomes {
  sent: number;
  delivered: number;
  /** Answered with an error, by its code (not delivered). */
  refused: Record<string, number>;
  /** No answer, the connection's fault (by reason; not delivered). */
  failed: Record<string, number>;
  /** Still in flight at the end: accepted (answered OK) but not at the agent yet ... */
  acceptedNotDelivered: number;
  /** ... or not answered at all yet. */
  unanswered: number;
}

export interface TrafficResult {
  steps: StepResult[];
  outcomes: Outcomes;
  /** Other problems: subscription errors, dropped sockets, duplicates. */
  problems: string[];
}

type WorkerMessage = { step: StepResult } | { result: TrafficResult };

/** Runs a job in a worker thread; `onStep` hears each step as it ends. */
export function runTraffic(job: TrafficJob, onStep: (step: StepResult) => void): Promise<TrafficResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.on('message', (m: WorkerMessage) => {
      if ('step' in m) return onStep(m.step);
      resolve(m.result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`traffic worker exited (${code}) without a result`)));
  });
}

interface Sent {
  step: number;
  at: number;
  /** When the agent received it (NaN: not yet). */
  deliveredAt: number;
  answer?: Answer;
}

async function traffic(job: TrafficJob): Promise<TrafficResult> {
  const messages: Sent[] = [];
  const problems: string[] = [];
  const problem = (p: string) => void (problems.length < 10 && problems.push(p));
  let step = -1; // the step whose window is open (-1: none)
  const deliveredDuring: number[] = job.rates.map(() => 0);
  let settled = 0; // messages delivered, refused or failed
  const target = await connectTarget(job, {
    delivered(body) {
      const m = messages[Number(/^bench (\d+) /.exec(body)?.[1] ?? NaN)];
      if (!m) return; // the chat's opening message
      if (!Number.isNaN(m.deliveredAt)) return problem(`message delivered twice: ${body}`);
      m.deliveredAt = performance.now();
      if (step >= 0) deliveredDuring[step]++;
      if (!m.answer || 'ok' in m.answer) settled++;
      else problem(`a message reached the agent although its send was answered ${JSON.stringify(m.answer)}`);
    },
    answered(id, answer) {
      const m = messages[id];
      if (m.answer) return problem(`message ${id} answered twice`);
      m.answer = answer;
      if (!('ok' in answer) && Number.isNaN(m.deliveredAt)) settled++;
    },
    problem,
  });

  const n = job.visitors.length;
  const steps: StepResult[] = [];
  for (const [i, rate] of job.rates.entries()) {
    const elu = performance.eventLoopUtilization();
    const total = Math.round(rate * job.stepSeconds);
    const begin = performance.now();
    step = i;
    for (let k = 0; k < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - begin) * rate) / 1000) + 1);
      for (; k < due; k++) {
        const id = messages.length;
        messages.push({ step: i, at: performance.now(), deliveredAt: NaN });
        target.send(id % n, id, `bench ${id} from the visitor of conversation ${id % n}`);
      }
      if (k < total) await sleep(Math.max(1, Math.min(10, begin + (k * 1000) / rate - performance.now())));
    }
    await sleep(Math.max(0, begin + job.stepSeconds * 1000 - performance.now()));
    step = -1;
    const seconds = (performance.now() - begin) / 1000;
    const inFlight = messages.length - settled;
    const result: StepResult = {
      offered: rate,
      sent: total,
      deliveredPerSecond: deliveredDuring[i] / seconds,
      latency: summarize([]), // these two are filled in at the end, when late answers have arrived
      turnedAway: 0,
      inFlightAtEnd: inFlight,
      generatorBusy: performance.eventLoopUtilization(elu).utilization,
      keptUp: deliveredDuring[i] / seconds >= 0.9 * rate && inFlight <= rate,
    };
    steps.push(result);
    parentPort!.postMessage({ step: result } satisfies WorkerMessage);
    if (!result.keptUp) break;
  }
  for (const stop = performance.now() + job.drain * 1000; settled < messages.length && performance.now() < stop; ) await sleep(20);

  const outcomes: Outcomes = { sent: messages.length, delivered: 0, refused: {}, failed: {}, acceptedNotDelivered: 0, unanswered: 0 };
  const latencies: number[][] = steps.map(() => []);
  for (const m of messages) {
    const a = m.answer;
    if (!Number.isNaN(m.deliveredAt)) {
      outcomes.delivered++;
      latencies[m.step].push(m.deliveredAt - m.at);
    } else if (a && !('ok' in a)) {
      const byKey = 'refused' in a ? outcomes.refused : outcomes.failed;
      const key = 'refused' in a ? a.refused : a.failed;
      byKey[key] = (byKey[key] ?? 0) + 1;
      steps[m.step].turnedAway++;
    } else if (a) outcomes.acceptedNotDelivered++;
    else outcomes.unanswered++;
  }
  steps.forEach((s, i) => (s.latency = summarize(latencies[i])));
  await target.close();
  return { steps, outcomes, problems };
}

if (!isMainThread && (workerData as TrafficJob | undefined)?.target) {
  parentPort!.postMessage({ result: await traffic(workerData as TrafficJob) } satisfies WorkerMessage);
}
