import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

/** What a load run measured. */
export interface LoadResult {
  /** Latency percentiles seen by the clients, in ms. */
  p50: number;
  p95: number;
  n: number;
  /** Requests per second over the run. */
  rate: number;
  /** Answers 304 Not Modified (with `revalidate`). */
  notModified: number;
  /** Time this process's event loop was busy, per request, in ms. */
  serverMsPerRequest: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)
  ];
}

/**
 * `clients` concurrent HTTP clients, each sending `requestsPerClient` GET
 * requests one after another over its own keep-alive connection, accepting
 * gzip as a browser does, taking the URLs in turn. With `revalidate` a client
 * sends the ETag of its last answer of a URL (a browser's HTTP cache).
 *
 * The clients run in a worker thread, so the server's event loop in this
 * process serves requests only, as it would for clients on other machines;
 * its busy time (event loop utilization) gives the server's cost per request.
 */
export function httpLoad(options: {
  urls: string[];
  clients: number;
  requestsPerClient: number;
  revalidate?: boolean;
  /** The Authorization header of every request (the routes need a signed-in caller). */
  authorization?: string;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const busy = performance.eventLoopUtilization();
    const worker = new Worker(path.join(__dirname, 'httpLoadWorker.mjs'), {
      workerData: options,
    });
    worker.once('error', reject);
    worker.once(
      'message',
      ({
        latencies,
        notModified,
      }: {
        latencies: number[];
        notModified: number;
      }) => {
        const elapsed = performance.now() - started;
        const { active } = performance.eventLoopUtilization(busy);
        latencies.sort((a, b) => a - b);
        resolve({
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          n: latencies.length,
          rate: (latencies.length * 1000) / elapsed,
          notModified,
          serverMsPerRequest: active / latencies.length,
        });
      },
    );
  });
}
