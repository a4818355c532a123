import { fork } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

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
  /** The longest the server's event loop was held during the run, in ms. */
  longestStallMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)
  ];
}

/** What one load run sends. */
export interface LoadOptions {
  urls: string[];
  clients: number;
  requestsPerClient: number;
  revalidate?: boolean;
  /** The Authorization header of every request (the routes need a signed-in caller). */
  authorization?: string;
}

type ClientAnswer =
  | { latencies: number[]; elapsed: number; notModified: number }
  | { error: string };

/**
 * HTTP load runs: in each, `clients` concurrent HTTP clients, each sending
 * `requestsPerClient` GET requests one after another over its own keep-alive
 * connection, accepting gzip as a browser does, taking the URLs in turn. With
 * `revalidate` a request sends the ETag last answered for its URL (a
 * browser's HTTP cache).
 *
 * The clients are autocannon's, in one process of their own for all runs
 * (`httpLoadClient.mjs`), so the server's event loop in this process serves
 * requests only, as it would for clients on other machines; its busy time
 * (event loop utilization) gives the server's cost per request. Run a first
 * load to warm the client and the server up; `close` ends the client process.
 */
export function httpLoader(): {
  load(options: LoadOptions): Promise<LoadResult>;
  close(): void;
} {
  const client = fork(path.join(__dirname, 'httpLoadClient.mjs'), [], {
    execArgv: [],
  });
  let pending:
    | { resolve(answer: ClientAnswer): void; reject(error: Error): void }
    | undefined;
  let ended: Error | undefined;
  const end = (error: Error) => {
    ended = error;
    pending?.reject(error);
    pending = undefined;
  };
  client.on('error', end);
  client.on('exit', code =>
    end(new Error(`the load client process exited (${code})`)),
  );
  client.on('message', (answer: ClientAnswer) => {
    pending?.resolve(answer);
    pending = undefined;
  });

  async function load(options: LoadOptions): Promise<LoadResult> {
    if (ended) throw ended;
    const busy = performance.eventLoopUtilization();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const answer = await new Promise<ClientAnswer>((resolve, reject) => {
      pending = { resolve, reject };
      client.send(options);
    });
    const { active } = performance.eventLoopUtilization(busy);
    delay.disable();
    if ('error' in answer) {
      throw new Error(`load on ${options.urls[0]}: ${answer.error}`);
    }
    const { latencies, elapsed, notModified } = answer;
    latencies.sort((a, b) => a - b);
    return {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      n: latencies.length,
      rate: (latencies.length * 1000) / elapsed,
      notModified,
      serverMsPerRequest: active / latencies.length,
      longestStallMs: delay.max / 1e6,
    };
  }

  return {
    load,
    close() {
      client.removeAllListeners('exit');
      client.disconnect();
    },
  };
}
