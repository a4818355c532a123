import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DeltaRow } from './__testUtils__/DeltaReader';
import { repoRoot } from './__testUtils__/repoRoot';
import { setUpPipelineTest } from './__testUtils__/setUpPipelineTest';

// The CDC pipeline (examples/pipelines/cdc-postgres-users): Debezium change events of a
// users table merged into a Delta table keyed by id.
jest.setTimeout(20 * 60_000);

const specFile = resolve(
  repoRoot,
  'examples/pipelines/cdc-postgres-users/pipeline.yaml',
);

type User = {
  id: number;
  email: string;
  name: string;
  country: string;
  updated_at: string;
};
type Change =
  | { op: 'r' | 'c' | 'u' | 'd'; before: User | null; after: User | null }
  | { tombstone: number };

const time = (minute: number) =>
  new Date(Date.parse('2026-01-05T09:00:00Z') + minute * 60_000).toISOString();
const user = (
  id: number,
  email: string,
  country: string,
  minute: number,
): User => ({
  id,
  email,
  name: `User ${id}`,
  country,
  updated_at: time(minute),
});

/** A change stream as Debezium emits it for a sequence of row operations. */
class Users {
  private readonly rows = new Map<number, User>();
  readonly changes: Change[] = [];

  snapshot(row: User) {
    this.rows.set(row.id, row);
    this.changes.push({ op: 'r', before: null, after: row });
  }
  insert(row: User) {
    this.rows.set(row.id, row);
    this.changes.push({ op: 'c', before: null, after: row });
  }
  update(id: number, values: Partial<User>) {
    const before = this.rows.get(id)!;
    const after = { ...before, ...values };
    this.rows.set(id, after);
    this.changes.push({ op: 'u', before, after });
  }
  /**
   * A delete: its "before" image is the whole row, or the key alone (`keyOnly`: what
   * PostgreSQL's default replica identity gives Debezium).
   */
  remove(id: number, keyOnly = false) {
    const before = keyOnly ? ({ id } as User) : this.rows.get(id)!;
    this.changes.push({ op: 'd', before, after: null }, { tombstone: id });
    this.rows.delete(id);
  }
  /** The table as the database has it now, by id. */
  table(): User[] {
    return [...this.rows.values()].sort((a, b) => a.id - b.id);
  }
}

function messages(changes: Change[]) {
  return changes.map((change, i) => {
    if ('tombstone' in change)
      return { key: JSON.stringify({ id: change.tombstone }), value: null };
    const row = change.after ?? change.before!;
    return {
      key: JSON.stringify({ id: row.id }),
      value: JSON.stringify({
        before: change.before,
        after: change.after,
        source: {
          connector: 'postgresql',
          name: 'dbserver1',
          db: 'accounts',
          schema: 'public',
          table: 'users',
          lsn: 1000 + i,
        },
        op: change.op,
        ts_ms: Date.parse(row.updated_at ?? time(60)),
      }),
    };
  });
}

const normalise = (rows: DeltaRow[]) =>
  rows
    .map(
      (r): DeltaRow => ({
        ...r,
        updated_at: new Date(String(r.updated_at)).toISOString(),
      }),
    )
    .sort((a, b) => Number(a.id) - Number(b.id));

describe('CDC pipeline, generated and run on Kafka and Spark', () => {
  const run = setUpPipelineTest(specFile, 2);

  it('merges inserts, updates and deletes into Delta, reports progress, and resumes from its checkpoint', async () => {
    const users = new Users();
    users.snapshot(user(1, 'ada@example.com', 'GB', 0));
    users.snapshot(user(2, 'grace@example.com', 'US', 0));
    users.snapshot(user(3, 'linus@example.com', 'FI', 0));
    users.insert(user(4, 'margaret@example.com', 'US', 1));
    users.update(2, { email: 'grace.hopper@example.com', updated_at: time(2) });
    users.remove(3);
    users.update(4, { country: 'DE', updated_at: time(3) });
    users.update(4, { country: 'FR', updated_at: time(4) });
    let produced = users.changes.length;
    await run.kafka.produceRecords(
      run.pipeline.sourceTopic,
      messages(users.changes),
    );

    run.pipeline.start();
    const first = await run.pipeline.waitProcessed();
    expect(normalise(await run.reader.read(run.pipeline.sinkPath))).toEqual(
      users.table(),
    );
    expect(first.batchIdsIncrease).toBe(true);
    expect(first.inputRows).toBe(produced);
    expect(first.lastEndOffsets).toEqual(
      await run.kafka.endOffsets(run.pipeline.sourceTopic),
    );

    await run.pipeline.stop();
    const before = users.changes.length;
    users.update(1, { country: 'IE', updated_at: time(5) });
    users.remove(4);
    users.insert(user(5, 'barbara@example.com', 'US', 6));
    users.insert(user(3, 'linus.t@example.com', 'US', 7));
    users.update(5, {
      email: 'barbara.liskov@example.com',
      updated_at: time(8),
    });
    produced += users.changes.length - before;
    await run.kafka.produceRecords(
      run.pipeline.sourceTopic,
      messages(users.changes.slice(before)),
    );

    run.pipeline.start();
    const second = await run.pipeline.waitProcessed();
    expect(normalise(await run.reader.read(run.pipeline.sinkPath))).toEqual(
      users.table(),
    );
    expect(second.runIds).toHaveLength(2);
    expect(second.batchIdsIncrease).toBe(true);
    expect(second.inputRows).toBe(produced);
    expect(second.lastEndOffsets).toEqual(
      await run.kafka.endOffsets(run.pipeline.sourceTopic),
    );
    run.passed = true;
  });
});

// The same example with `deletes: soft_delete`: a deleted row stays, marked
// `_deleted = true` with its last values; a row inserted again is live again.
describe('CDC pipeline with soft deletes, generated and run on Kafka and Spark', () => {
  const run = setUpPipelineTest(specFile, 1, {
    specText: readFileSync(specFile, 'utf8').replace(
      /^( {4}key: \[id\]\n)/m,
      '$1    deletes: soft_delete\n',
    ),
  });

  /** The table a soft-deleting merge must hold: every row ever seen, deleted ones marked. */
  const marked = (live: User[], deleted: User[]) =>
    [
      ...live.map(u => ({ ...u, _deleted: false })),
      ...deleted.map(u => ({ ...u, _deleted: true })),
    ].sort((a, b) => a.id - b.id);

  it('keeps deleted rows marked _deleted and brings back a row inserted again', async () => {
    expect(run.pipeline.spec.pipeline.source).toMatchObject({
      deletes: 'soft_delete',
    });
    const users = new Users();
    users.snapshot(user(1, 'ada@example.com', 'GB', 0));
    users.snapshot(user(2, 'grace@example.com', 'US', 0));
    users.snapshot(user(3, 'linus@example.com', 'FI', 0));
    users.update(2, { email: 'grace.hopper@example.com', updated_at: time(1) });
    const grace = users.table().find(u => u.id === 2)!;
    users.remove(2);
    users.update(1, { country: 'IE', updated_at: time(2) });
    await run.kafka.produceRecords(
      run.pipeline.sourceTopic,
      messages(users.changes),
    );

    run.pipeline.start();
    await run.pipeline.waitProcessed();
    expect(normalise(await run.reader.read(run.pipeline.sinkPath))).toEqual(
      marked(users.table(), [grace]),
    );

    // Grace comes back; Margaret is inserted and deleted at once, the delete carrying
    // her key alone: she stays with the values she was inserted with, marked deleted,
    // as she would had the two changes come in separate micro-batches.
    const before = users.changes.length;
    users.insert(user(2, 'grace.h@example.com', 'US', 3));
    users.insert(user(4, 'margaret@example.com', 'US', 4));
    const margaret = users.table().find(u => u.id === 4)!;
    users.remove(4, true);
    await run.kafka.produceRecords(
      run.pipeline.sourceTopic,
      messages(users.changes.slice(before)),
    );
    await run.pipeline.waitProcessed();
    expect(normalise(await run.reader.read(run.pipeline.sinkPath))).toEqual(
      marked(users.table(), [margaret]),
    );
    run.passed = true;
  });
});
