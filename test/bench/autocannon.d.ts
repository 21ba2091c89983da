/** The small part of autocannon (v9, no bundled types) that the benchmark uses. */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Options {
      url: string;
      method?: 'GET' | 'POST';
      headers?: Record<string, string>;
      body?: string;
      /** Responses whose body differs are counted in `mismatches`. */
      expectBody?: string;
      /** Seconds. */
      duration?: number;
      connections?: number;
    }
    /** As handed back when run in a worker thread (no aggregated histograms there). */
    interface Result {
      totalCompletedRequests: number;
      /** Seconds. */
      duration: number;
      /** Includes timeouts. */
      errors: number;
      timeouts: number;
      non2xx: number;
      mismatches: number;
    }
    /** Emits `response` (client, statusCode, bytes, milliseconds) for every response. */
    interface Instance extends EventEmitter {
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options, done: (err: Error | null, result: autocannon.Result) => void): autocannon.Instance;
  export = autocannon;
}
