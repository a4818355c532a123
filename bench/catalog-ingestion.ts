/**
 * Catalog ingestion with the streaming module, against the plain catalog.
 *
 * Generates N pipelines (Component + pipeline.yaml) that share N/10 Kafka
 * topics and each write their own Delta table, and N plain Components. Runs
 * the real catalog backend on SQLite (in memory; `--files` for database files
 * in a fresh folder, as app-config's local default has them) twice
 * in the same process: once with the plain Components and no streaming
 * module (the baseline), once with the pipelines and the module. For each it
 * prints entities per second and the time until every entity is stitched
 * (for the pipelines: with every lineage relation on both ends), then the
 * ratios.
 *
 * Run from the repository root, with the project's Node (`. scripts/toolchain.sh`):
 *   node_modules/.bin/sucrase-node bench/catalog-ingestion.ts [--pipelines 10000] [--topics 1000] [--files]
 * Progress goes to stderr every 15 s (BENCH_REPORT_SECONDS to change).
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogTestBackend,
  startCatalogTestBackend,
} from '../plugins/catalog-backend-module-streaming/src/__testUtils__/startCatalogTestBackend';
import { benchOptions } from './lib/benchOptions';

const options = benchOptions({ pipelines: 10_000, topics: undefined }, [
  'files',
]);
const pipelines = options.pipelines;
const topics = options.topics ?? Math.max(1, Math.round(pipelines / 10));
const root = path.resolve(
  __dirname,
  '../.cache/bench/catalog-ingestion',
  String(Date.now()),
);

function component(name: string, pipeline: boolean): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      ...(pipeline
        ? {
            annotations: {
              'streaming-platform.dev/pipeline-spec': './pipeline.yaml',
            },
          }
        : {}),
    },
    spec: {
      type: pipeline ? 'streaming-pipeline' : 'service',
      lifecycle: 'production',
      owner: `team-${Number(name.split('-').pop()) % 20}`,
      system: 'data-platform',
    },
  };
}

function pipelineSpec(index: number): string {
  const name = `pipeline-${index}`;
  return yaml.stringify({
    pipeline: {
      name,
      source: {
        type: 'kafka',
        cluster: 'local',
        topic: `bench.events_${index % topics}`,
        format: 'json',
        fields: [
          { name: 'id', type: 'string' },
          { name: 'ts', type: 'timestamp' },
        ],
      },
      transformations: [
        { type: 'filter', condition: "id IS NOT NULL AND id != ''" },
      ],
      sink: {
        type: 'delta',
        path: `/data/delta/bench_${index}`,
        mode: 'append',
        checkpoint: `/checkpoints/${name}`,
      },
      monitoring: { alert_on_lag: 60 },
    },
  });
}

/** Writes one folder per entity; returns the glob of their catalog files. */
function generate(kind: 'pipelines' | 'plain'): string {
  const base = path.join(root, kind);
  for (let i = 0; i < pipelines; i++) {
    const dir = path.join(base, String(i));
    fs.mkdirSync(dir, { recursive: true });
    const name = kind === 'pipelines' ? `pipeline-${i}` : `service-${i}`;
    fs.writeFileSync(
      path.join(dir, 'catalog-info.yaml'),
      yaml.stringify(component(name, kind === 'pipelines')),
    );
    if (kind === 'pipelines') {
      fs.writeFileSync(path.join(dir, 'pipeline.yaml'), pipelineSpec(i));
    }
  }
  return path.join(base, '*', 'catalog-info.yaml');
}

async function count(catalog: CatalogTestBackend, filter: string) {
  const { totalItems } = await catalog.request<{ totalItems: number }>(
    `/entities/by-query?limit=0&filter=${encodeURIComponent(filter)}`,
  );
  return totalItems;
}

/** Every topic with all of its readers, checked once the counts are complete. */
async function topicsComplete(catalog: CatalogTestBackend): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await catalog.request<{
      items: Entity[];
      pageInfo: { nextCursor?: string };
    }>(
      cursor
        ? `/entities/by-query?cursor=${encodeURIComponent(cursor)}`
        : `/entities/by-query?limit=500&fields=relations&filter=${encodeURIComponent(
            'kind=resource,spec.type=kafka-topic',
          )}`,
    );
    for (const topic of page.items) {
      const readers = (topic.relations ?? []).filter(
        r => r.type === 'dependencyOf',
      ).length;
      if (readers < Math.floor(pipelines / topics)) {
        return false;
      }
    }
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return true;
}

interface RunResult {
  entities: number;
  seconds: number;
}

const reportSeconds = Number(process.env.BENCH_REPORT_SECONDS ?? 15);

async function run(kind: 'pipelines' | 'plain'): Promise<RunResult> {
  const glob = generate(kind);
  const database = path.join(root, `${kind}-db`);
  fs.mkdirSync(database, { recursive: true });
  const started = process.hrtime.bigint();
  const catalog = await startCatalogTestBackend({
    locations: [glob],
    withStreaming: kind === 'pipelines',
    sqlite: options.files ? { directory: database } : ':memory:',
  });
  // Both runs poll the same cheap counts; only once they are complete does
  // the pipelines run check (rarely, as those queries are costly) that
  // every lineage relation is stitched on both ends.
  const expectedCounts: Record<string, number> =
    kind === 'pipelines'
      ? { 'kind=component': pipelines, 'kind=resource': pipelines + topics }
      : { 'kind=component': pipelines };
  const expectedRelations: Record<string, number> = {
    'kind=component,relations.dependson': pipelines,
    'kind=component,relations.dependencyof': pipelines,
    'kind=resource,spec.type=kafka-topic,relations.dependencyof': topics,
    'kind=resource,spec.type=delta-table,relations.dependson': pipelines,
  };
  const reached = async (expected: Record<string, number>) => {
    const counts = await Promise.all(
      Object.keys(expected).map(filter => count(catalog, filter)),
    );
    return {
      counts,
      done: counts.every((n, i) => n >= Object.values(expected)[i]),
    };
  };
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  let lastReport = 0;
  try {
    for (;;) {
      const { counts, done } = await reached(expectedCounts);
      if (elapsed() - lastReport >= reportSeconds) {
        lastReport = elapsed();
        process.stderr.write(
          `  ${kind}: ${elapsed().toFixed(0)} s, ${counts.join(
            ' / ',
          )} of ${Object.values(expectedCounts).join(' / ')}\n`,
        );
      }
      if (done) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
    while (kind === 'pipelines') {
      const { done } = await reached(expectedRelations);
      if (done && (await topicsComplete(catalog))) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 3000));
    }
    const seconds = elapsed();
    const entities =
      (await count(catalog, 'kind=component')) +
      (await count(catalog, 'kind=resource'));
    return { entities, seconds };
  } finally {
    await catalog.stop();
  }
}

async function main() {
  process.stderr.write(
    `Generating ${pipelines} pipelines over ${topics} topics, and ${pipelines} plain Components, in ${root}\n`,
  );
  let plain: RunResult;
  let streaming: RunResult;
  try {
    plain = await run('plain');
    streaming = await run('pipelines');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const rate = (r: RunResult) => r.entities / r.seconds;
  const rows = [
    ['run', 'entities', 'seconds until stitched', 'entities/s'],
    [
      'plain Components, no module',
      plain.entities,
      plain.seconds.toFixed(1),
      rate(plain).toFixed(1),
    ],
    [
      'pipelines with the streaming module',
      streaming.entities,
      streaming.seconds.toFixed(1),
      rate(streaming).toFixed(1),
    ],
  ];
  for (const row of rows) {
    process.stdout.write(
      `${String(row[0]).padEnd(38)}${String(row[1]).padStart(10)}${String(
        row[2],
      ).padStart(26)}${String(row[3]).padStart(14)}\n`,
    );
  }
  process.stdout.write(
    `time ratio (pipelines / plain): ${(
      streaming.seconds / plain.seconds
    ).toFixed(2)}\n` +
      `entities/s ratio (pipelines / plain): ${(
        rate(streaming) / rate(plain)
      ).toFixed(2)}\n` +
      `entities per source file: ${(streaming.entities / pipelines).toFixed(
        2,
      )} with the module, ${(plain.entities / pipelines).toFixed(2)} without\n`,
  );
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
