import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DeltaRow } from './__testUtils__/DeltaReader';
import { repoRoot } from './__testUtils__/repoRoot';
import { setUpPipelineTest } from './__testUtils__/setUpPipelineTest';
import { SparkJob } from './__testUtils__/SparkJob';

// The generated maintenance job (job/maintenance.py) of the CDC Postgres example, run on
// the Delta table its pipeline wrote over several micro-batches: OPTIMIZE with Z-ORDER
// by the merge key, then VACUUM with the default retention of 168 hours.
jest.setTimeout(20 * 60_000);

const specFile = resolve(
  repoRoot,
  'examples/pipelines/cdc-postgres-users/pipeline.yaml',
);

const change = (id: number, country: string, offset: number) => ({
  key: JSON.stringify({ id }),
  value: JSON.stringify({
    before: null,
    after: {
      id,
      email: `user${id}@example.com`,
      name: `User ${id}`,
      country,
      updated_at: 1767603600000 + offset * 1000,
    },
    op: 'c',
    ts_ms: 1767603600000 + offset * 1000,
  }),
});

/** The data files in the table's folder (live or not). */
const parquetFiles = (path: string) =>
  readdirSync(path).filter(f => f.endsWith('.parquet'));

const byId = (rows: DeltaRow[]) =>
  [...rows].sort((a, b) => Number(a.id) - Number(b.id));

describe('Delta table maintenance, generated and run on a pipeline-written table', () => {
  const run = setUpPipelineTest(specFile, 1);

  it('compacts the files, records the Z-ORDER columns, keeps the data and respects the retention', async () => {
    // Four rounds, each at least one micro-batch and one merge commit.
    run.pipeline.start();
    for (let round = 0; round < 4; round++) {
      await run.kafka.produceRecords(
        run.pipeline.sourceTopic,
        [1, 2, 3, 4, 5].map(i =>
          change(round * 5 + i, ['DE', 'FR', 'US'][i % 3], round * 10 + i),
        ),
      );
      await run.pipeline.waitProcessed();
    }
    await run.pipeline.stop();
    const before = await run.reader.detail(run.pipeline.sinkPath);
    const rows = byId(await run.reader.read(run.pipeline.sinkPath));
    const filesOnDisk = parquetFiles(run.pipeline.sinkPath).length;
    expect(rows).toHaveLength(20);
    expect(before.numFiles).toBeGreaterThanOrEqual(4);

    const job = SparkJob.start({
      jobFile: join(run.pipeline.dir, 'job/maintenance.py'),
      env: { PIPELINE_SINK_PATH: run.pipeline.sinkPath },
      logFile: join(run.pipeline.dir, 'maintenance.log'),
    });
    const exitCode = await job.finished();
    expect({ exitCode, log: exitCode === 0 ? '' : job.tail() }).toEqual({
      exitCode: 0,
      log: '',
    });

    const after = await run.reader.detail(run.pipeline.sinkPath);
    expect(after.numFiles).toBe(1);
    expect(byId(await run.reader.read(run.pipeline.sinkPath))).toEqual(rows);
    const operations = after.history.slice(before.history.length);
    expect(operations.map(h => h.operation)).toEqual([
      'OPTIMIZE',
      'VACUUM START',
      'VACUUM END',
    ]);
    expect(JSON.parse(operations[0].operationParameters.zOrderBy)).toEqual([
      'id',
    ]);
    // 168 hours: the files OPTIMIZE replaced minutes ago stay on disk.
    expect(
      Number(operations[1].operationParameters.specifiedRetentionMillis),
    ).toBe(168 * 3600_000);
    expect(parquetFiles(run.pipeline.sinkPath)).toHaveLength(filesOnDisk + 1);
    run.passed = true;
  });
});
