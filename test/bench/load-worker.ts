/**
 * Load generator for api.bench.ts, run in a worker thread so that it does not share an event loop
 * with the servers it measures. Latencies are taken from each response (sub-millisecond), since
 * autocannon's own histogram keeps whole milliseconds (and, off the main thread, hands back only
 * its raw, unaggregated result).
 */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import { summarize } from './bench-kit.js';

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  body: string;
  expectBody: string;
  connections: number;
  /** Seconds; a discarded run before the measured one (0: none). */
  warmup: number;
  duration: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts, non-2xx answers and bodies that differ from the expected one. */
  errors: number;
}

function run(job: LoadJob, duration: number): Promise<{ result: autocannon.Result; latencies: number[] }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const { url, headers, body, expectBody, connections } = job;
    const instance = autocannon({ url, method: 'POST', headers, body, expectBody, connections, duration }, (err, result) =>
      err ? reject(err) : resolve({ result, latencies }),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => void latencies.push(ms));
  });
}

const job = workerData as LoadJob;
if (job.warmup > 0) await run(job, job.warmup);
const { result, latencies } = await run(job, job.duration);
const { p50, p99 } = summarize(latencies);
const report: LoadResult = {
  requestsPerSecond: result.totalCompletedRequests / result.duration,
  requests: result.totalCompletedRequests,
  p50,
  p99,
  errors: result.errors + result.non2xx + result.mismatches,
};
parentPort!.postMessage(report);
