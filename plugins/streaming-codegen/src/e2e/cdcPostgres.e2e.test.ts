import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DeltaReader } from './__testUtils__/DeltaReader';
import type { DeltaRow } from './__testUtils__/DeltaReader';
import { PipelineRun } from './__testUtils__/PipelineRun';
import { repoRoot } from './__testUtils__/repoRoot';
import {
  TestConnect,
  TestKafka,
  TestPostgres,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';

// The CDC Postgres example (examples/pipelines/cdc-postgres-users) fed by real change data
// capture: a users table in PostgreSQL (wal_level=logical), Debezium's PostgreSQL connector
// in Kafka Connect writing the change events, and the generated job merging them into Delta.
jest.setTimeout(20 * 60_000);

const specFile = resolve(
  repoRoot,
  'examples/pipelines/cdc-postgres-users/pipeline.yaml',
);
const specText = readFileSync(specFile, 'utf8');

/** The example with a column `plan` added to the fields and the selected columns. */
function withPlanColumn(text: string): string {
  const changed = text
    .replace(
      '      - { name: updated_at, type: timestamp }\n',
      '      - { name: updated_at, type: timestamp }\n      - { name: plan, type: string }\n',
    )
    .replace(
      'columns: [id, email, name, country, updated_at]',
      'columns: [id, email, name, country, updated_at, plan]',
    );
  if (changed.split('plan').length !== 3)
    throw new Error('the example spec changed: update withPlanColumn');
  return changed;
}

/** Timestamps of both sides as ISO-8601 in UTC (PostgreSQL's `timestamp` has no zone). */
const normalise = (rows: DeltaRow[]) =>
  rows
    .map(
      (r): DeltaRow => ({
        ...r,
        updated_at: new Date(
          String(r.updated_at).replace(/(T[\d:.]+)$/, '$1Z'),
        ).toISOString(),
      }),
    )
    .sort((a, b) => Number(a.id) - Number(b.id));

/** The change operations (`op`) of the topic's events, counted; tombstones apart. */
function countOps(records: { value: string | null }[]) {
  const counts: Record<string, number> = { tombstones: 0 };
  for (const record of records) {
    if (record.value === null) counts.tombstones += 1;
    else {
      const { op } = JSON.parse(record.value) as { op: string };
      counts[op] = (counts[op] ?? 0) + 1;
    }
  }
  return counts;
}

describe('CDC Postgres pipeline on PostgreSQL, Debezium, Kafka Connect, Kafka and Spark', () => {
  let kafka: TestKafka;
  let connect: TestConnect;
  let db: TestPostgres;
  let reader: DeltaReader;
  let pipeline: PipelineRun;
  let connector: string;
  let passed = false;

  beforeAll(async () => {
    kafka = await TestKafka.start();
    // The reader's Spark starts beside the pipeline's job; the first read waits for it.
    reader = DeltaReader.starting();
    [connect, pipeline] = await Promise.all([
      TestConnect.start(),
      PipelineRun.create({
        kafka,
        specText,
        specFile,
        sourcePartitions: 2,
      }),
    ]);
    connector = `e2e-${pipeline.run}-users`;
    db = await TestPostgres.create(`e2e_${pipeline.run}_accounts`);
  });

  afterAll(async () => {
    await pipeline?.cleanUp(!passed);
    await connect?.delete(connector);
    await db?.drop();
    await reader?.close();
    await kafka?.close();
  });

  /** The users table as PostgreSQL has it now. */
  const table = async () =>
    normalise(await db.rows('SELECT * FROM public.users ORDER BY id'));

  /** Waits until the connector has written `count` records (events and tombstones). */
  const waitForEvents = (count: number) =>
    waitFor(
      `${count} change records in ${pipeline.sourceTopic}`,
      async () => {
        const end = await kafka.endOffsets(pipeline.sourceTopic);
        const written = Object.values(end).reduce((a, b) => a + b, 0);
        if (written > count)
          throw new Error(
            `${written} records, more than the ${count} expected`,
          );
        return written === count ? written : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    );

  it('brings inserts, updates, deletes and an added column exactly into Delta, across restarts of the job and the connector', async () => {
    // Rows before the connector exists arrive through its snapshot (op "r").
    await db.sql(`
      CREATE TABLE public.users (
        id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL,
        country text NOT NULL, updated_at timestamp NOT NULL);
      INSERT INTO public.users VALUES
        (1, 'ada@example.com', 'Ada', 'GB', '2026-01-05 09:00:00'),
        (2, 'grace@example.com', 'Grace', 'US', '2026-01-05 09:00:00'),
        (3, 'linus@example.com', 'Linus', 'FI', '2026-01-05 09:00:00.123456');`);
    await connect.create(connector, {
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'database.hostname': db.host,
      'database.port': String(db.port),
      'database.user': db.user,
      'database.dbname': db.database,
      // Debezium names topics PREFIX.SCHEMA.TABLE: the run's source topic.
      'topic.prefix': pipeline.sourceTopic.replace(/\.public\.users$/, ''),
      'table.include.list': 'public.users',
      'plugin.name': 'pgoutput',
      'slot.name': `e2e_${pipeline.run}_users`,
      'publication.name': `e2e_${pipeline.run}_users`,
      'publication.autocreate.mode': 'filtered',
      'snapshot.mode': 'initial',
      'tasks.max': '1',
    });
    // Each statement its own transaction, as an application writes them.
    const changes = [
      "INSERT INTO public.users VALUES (4, 'margaret@example.com', 'Margaret', 'US', '2026-01-05 09:01:00')",
      "UPDATE public.users SET email = 'grace.hopper@example.com', updated_at = '2026-01-05 09:02:00' WHERE id = 2",
      'DELETE FROM public.users WHERE id = 3',
      "UPDATE public.users SET country = 'DE', updated_at = '2026-01-05 09:03:00' WHERE id = 4",
      "UPDATE public.users SET country = 'FR', updated_at = '2026-01-05 09:04:00' WHERE id = 4",
    ];
    for (const statement of changes) await db.sql(statement);
    // 3 snapshot reads, 1 insert, 3 updates, 1 delete and its tombstone.
    await waitForEvents(9);

    pipeline.start();
    await pipeline.waitProcessed();
    expect(normalise(await reader.read(pipeline.sinkPath))).toEqual(
      await table(),
    );

    // Job and connector both stopped: the changes wait in PostgreSQL's replication slot.
    await pipeline.stop();
    await connect.stop(connector);
    for (const statement of [
      "UPDATE public.users SET country = 'IE', updated_at = '2026-01-05 09:05:00' WHERE id = 1",
      'DELETE FROM public.users WHERE id = 4',
      "INSERT INTO public.users VALUES (5, 'barbara@example.com', 'Barbara', 'US', '2026-01-05 09:06:00')",
      'ALTER TABLE public.users ADD COLUMN plan text',
      "INSERT INTO public.users VALUES (3, 'linus.t@example.com', 'Linus', 'US', '2026-01-05 09:07:00', 'pro')",
      "UPDATE public.users SET plan = 'team', updated_at = '2026-01-05 09:08:00' WHERE id = 5",
    ])
      await db.sql(statement);
    await connect.resume(connector);
    // 2 updates, 1 delete and its tombstone, 2 inserts.
    await waitForEvents(9 + 6);

    // The spec gains the new column; the job restarts from its checkpoint.
    pipeline.update(withPlanColumn(specText));
    pipeline.start();
    const progress = await pipeline.waitProcessed();
    const delta = normalise(await reader.read(pipeline.sinkPath));
    const postgres = await table();
    expect(delta).toEqual(postgres);
    expect(postgres.map(r => [r.id, r.plan])).toEqual([
      [1, null],
      [2, null],
      [3, 'pro'],
      [5, 'team'],
    ]);

    // Nothing lost, nothing twice: every change of PostgreSQL is one event in the topic,
    // and the job read each exactly once across its two runs.
    const records = await kafka.readAll(pipeline.sourceTopic);
    expect(countOps(records)).toEqual({
      r: 3,
      c: 3,
      u: 5,
      d: 2,
      tombstones: 2,
    });
    expect(progress.runIds).toHaveLength(2);
    expect(progress.inputRows).toBe(records.length);
    passed = true;
  });
});
