import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeltaTableReader } from './DeltaTableReader';

const limits = {
  maxCommits: 2000,
  maxCommitBytes: 1024 * 1024,
  maxLogBytes: 4 * 1024 * 1024,
  cacheTtlMs: 0,
};

describe('DeltaTableReader on a real folder', () => {
  let root: string;
  let outside: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-reader-'));
    outside = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-outside-'));
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  });

  async function writeCommit(
    table: string,
    version: number,
    actions: object[],
  ) {
    const log = path.join(root, table, '_delta_log');
    await fs.mkdir(log, { recursive: true });
    await fs.writeFile(
      path.join(log, `${String(version).padStart(20, '0')}.json`),
      actions.map(a => JSON.stringify(a)).join('\n'),
    );
  }

  const commit = (timestamp: number, operation = 'WRITE') => ({
    commitInfo: { timestamp, operation },
  });
  const add = (file: string, size: number) => ({
    add: { path: file, size, dataChange: true },
  });

  it('answers with what it could read when a commit holds a timestamp out of range', async () => {
    await writeCommit('t', 0, [commit(1763900000000, 'CREATE TABLE')]);
    await writeCommit('t', 1, [commit(1e20), add('a.parquet', 10)]);
    const reader = new DeltaTableReader([root], undefined, limits);
    const { facts, error } = await reader.read(path.join(root, 't'));
    expect(facts).toMatchObject({
      readable: true,
      version: 1,
      numFiles: 1,
      sizeBytes: 10,
      lastOperation: {
        operation: 'CREATE TABLE',
        timestamp: new Date(1763900000000).toISOString(),
      },
    });
    expect(error).toBe('1 actions are not valid Delta actions; left out');
  });

  it('refuses symbolic links in the log', async () => {
    await writeCommit('t', 0, [commit(1763900000000), add('a.parquet', 10)]);
    await fs.writeFile(
      path.join(outside, 'secret.json'),
      JSON.stringify(add('stolen.parquet', 99)),
    );
    await fs.symlink(
      path.join(outside, 'secret.json'),
      path.join(root, 't', '_delta_log', `${'1'.padStart(20, '0')}.json`),
    );
    const reader = new DeltaTableReader([root], undefined, limits);
    const { facts, error } = await reader.read(path.join(root, 't'));
    expect(facts).toMatchObject({ readable: true, version: 1 });
    expect(facts.numFiles).toBeUndefined();
    expect(error).toBe(
      'commit 00000000000000000001.json is not a regular file; left out; file counts are left out',
    );

    // A log folder that is a link leaves the table unread.
    await fs.mkdir(path.join(outside, '_delta_log'));
    await fs.mkdir(path.join(root, 'linked'));
    await fs.symlink(
      path.join(outside, '_delta_log'),
      path.join(root, 'linked', '_delta_log'),
    );
    expect(await reader.read(path.join(root, 'linked'))).toEqual({
      facts: { readable: false },
      error: 'no _delta_log folder',
    });
  });

  it('reads at most the configured bytes and commits, and says so', async () => {
    for (let v = 0; v < 4; v++) {
      await writeCommit('t', v, [
        commit(1763900000000 + v),
        add(`${v}.parquet`, 1),
        { padding: 'x'.repeat(1000) },
      ]);
    }
    const fewCommits = new DeltaTableReader([root], undefined, {
      ...limits,
      maxCommits: 3,
    });
    expect(await fewCommits.read(path.join(root, 't'))).toMatchObject({
      facts: { readable: true, version: 3, numFiles: undefined },
      error:
        'only the newest 3 commits are read (streaming.delta.maxCommits); file counts are left out',
    });
    const fewBytes = new DeltaTableReader([root], undefined, {
      ...limits,
      maxLogBytes: 2500,
    });
    expect(await fewBytes.read(path.join(root, 't'))).toMatchObject({
      facts: { readable: true, version: 3, numFiles: undefined },
      error:
        'the log is larger than 2500 bytes (streaming.delta.maxLogBytes); older commits are left out; file counts are left out',
    });
  });

  it('reuses the facts of a table for the configured time', async () => {
    await writeCommit('t', 0, [commit(1763900000000)]);
    const cached = new DeltaTableReader([root], undefined, {
      ...limits,
      cacheTtlMs: 60_000,
    });
    const uncached = new DeltaTableReader([root], undefined, limits);
    expect((await cached.read(path.join(root, 't'))).facts.version).toBe(0);
    await writeCommit('t', 1, [commit(1763900060000)]);
    expect((await cached.read(path.join(root, 't'))).facts.version).toBe(0);
    expect((await uncached.read(path.join(root, 't'))).facts.version).toBe(1);
  });
});
