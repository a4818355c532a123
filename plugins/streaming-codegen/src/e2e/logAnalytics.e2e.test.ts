import { readdirSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { PipelineRun } from './__testUtils__/PipelineRun';
import { repoRoot } from './__testUtils__/repoRoot';
import {
  TestKafka,
  TestOpenSearch,
} from '@internal/plugin-streaming-node/testUtils';

// The Log Analytics example (examples/pipelines/log-analytics): warnings and errors of all
// services indexed into OpenSearch, each log line exactly once, across a restart and a
// replayed micro-batch, with the cluster answering 429 to some bulk requests.
jest.setTimeout(20 * 60_000);

const specFile = resolve(
  repoRoot,
  'examples/pipelines/log-analytics/pipeline.yaml',
);

type LogLine = {
  service: string;
  level: string;
  message: string;
  trace_id: string;
  ts: string;
};

const line = (
  service: string,
  level: string,
  message: string,
  trace: number,
  second: number,
): LogLine => ({
  service,
  level,
  message,
  trace_id: `trace-${trace}`,
  ts: new Date(
    Date.parse('2026-01-05T12:00:00Z') + second * 1000,
  ).toISOString(),
});

// Several lines per trace (one request logs more than once), and two identical lines.
const firstLines: LogLine[] = [
  line('checkout', 'INFO', 'order received', 1, 0),
  line('checkout', 'WARN', 'payment slow', 1, 1),
  line('checkout', 'ERROR', 'payment timed out', 1, 2),
  line('payments', 'ERROR', 'gateway 502', 1, 2),
  line('search', 'DEBUG', 'query parsed', 2, 3),
  line('search', 'WARN', 'index lagging', 2, 4),
  line('auth', 'FATAL', 'key store unreadable', 3, 5),
  line('auth', 'ERROR', 'retrying login', 4, 6),
  line('auth', 'ERROR', 'retrying login', 4, 6),
  line('cart', 'INFO', 'item added', 5, 7),
];
const laterLines: LogLine[] = [
  line('checkout', 'ERROR', 'payment timed out', 6, 10),
  line('checkout', 'WARN', 'retry 1', 6, 11),
  line('checkout', 'WARN', 'retry 2', 6, 12),
  line('cart', 'INFO', 'cart saved', 7, 13),
  line('search', 'ERROR', 'shard failed', 8, 14),
];

const shipped = (lines: LogLine[]) =>
  lines
    .filter(l => ['WARN', 'ERROR', 'FATAL'].includes(l.level))
    .map(({ ts, ...rest }) => ({ ...rest, '@timestamp': ts }));

const sorted = (documents: Record<string, unknown>[]) =>
  documents
    .map(d => ({
      ...d,
      '@timestamp': new Date(String(d['@timestamp'])).toISOString(),
    }))
    .map(d => JSON.stringify(d, Object.keys(d).sort()))
    .sort();

/**
 * In front of OpenSearch: answers the first `rejections` bulk requests with 429, as a
 * cluster under indexing pressure does, and forwards everything else unchanged.
 */
async function rejectingProxy(target: string, rejections: number) {
  const seen = { bulk: 0, rejected: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', async () => {
      if (request.url?.endsWith('/_bulk')) {
        seen.bulk += 1;
        if (seen.rejected < rejections) {
          seen.rejected += 1;
          response.writeHead(429, { 'Content-Type': 'application/json' });
          response.end(
            JSON.stringify({
              error: { type: 'rejected_execution_exception' },
              status: 429,
            }),
          );
          return;
        }
      }
      try {
        const upstream = await fetch(`${target}${request.url}`, {
          method: request.method,
          headers: { 'Content-Type': String(request.headers['content-type']) },
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        response.writeHead(upstream.status, {
          'Content-Type': upstream.headers.get('content-type') ?? 'text/plain',
        });
        response.end(Buffer.from(await upstream.arrayBuffer()));
      } catch (error) {
        response.writeHead(502);
        response.end(String(error));
      }
    });
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, server };
}

describe('Log Analytics pipeline on Kafka, Spark and OpenSearch', () => {
  let kafka: TestKafka;
  let search: TestOpenSearch;
  let pipeline: PipelineRun;
  let proxy: Awaited<ReturnType<typeof rejectingProxy>>;
  let index: string;
  let passed = false;

  beforeAll(async () => {
    kafka = await TestKafka.start();
    [search, pipeline] = await Promise.all([
      TestOpenSearch.start(),
      PipelineRun.create({
        kafka,
        specText: readFileSync(specFile, 'utf8'),
        specFile,
        sourcePartitions: 2,
      }),
    ]);
    index = `e2e-${pipeline.run}-app-logs-errors`;
    proxy = await rejectingProxy(search.url, 2);
  });

  afterAll(async () => {
    await pipeline?.cleanUp(!passed);
    if (passed) await search?.deleteIndex(index);
    proxy?.server.close();
    await kafka?.close();
  });

  const start = () =>
    pipeline.start({
      ELASTICSEARCH_NODES: proxy.url,
      PIPELINE_SINK_INDEX: index,
      PIPELINE_STARTING_OFFSETS: 'earliest',
    });
  const produce = (lines: LogLine[]) =>
    kafka.produceRecords(
      pipeline.sourceTopic,
      lines.map(l => ({ key: l.service, value: JSON.stringify(l) })),
    );

  it('indexes every warning and error exactly once across a restart and a replayed batch, retrying 429s', async () => {
    await produce(firstLines);
    start();
    await pipeline.waitProcessed();
    const first = await search.documents(index);
    expect(sorted(first.map(d => d._source))).toEqual(
      sorted(shipped(firstLines)),
    );
    expect(new Set(first.map(d => d._id)).size).toBe(first.length);
    // The first bulk requests were answered 429 and sent again.
    expect(proxy.seen.rejected).toBe(2);
    expect(proxy.seen.bulk).toBeGreaterThan(2);

    await pipeline.stop();
    // As after a crash between the bulk request and the checkpoint's commit: the newest
    // batch is not marked done, so the restarted job runs it again over the same offsets.
    const commits = join(pipeline.dir, 'checkpoint/commits');
    const newest = Math.max(
      ...readdirSync(commits)
        .filter(f => /^\d+$/.test(f))
        .map(Number),
    );
    rmSync(join(commits, String(newest)));
    rmSync(join(commits, `.${newest}.crc`), { force: true });
    await produce(laterLines);

    start();
    const progress = await pipeline.waitProcessed();
    const all = await search.documents(index);
    expect(sorted(all.map(d => d._source))).toEqual(
      sorted(shipped([...firstLines, ...laterLines])),
    );
    expect(new Set(all.map(d => d._id)).size).toBe(all.length);
    expect(progress.batchIds.filter(id => id === newest)).toHaveLength(2);
    expect(progress.runIds).toHaveLength(2);
    passed = true;
  });
});
