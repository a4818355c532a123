import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeltaPathMapping } from './DeltaPathMapping';
import { DeltaTableReader } from './DeltaTableReader';

describe('DeltaPathMapping', () => {
  const mapping = new DeltaPathMapping(
    [
      { from: '/data/delta', to: '../../.cache/demo/delta' },
      { from: '/data/delta/special/', to: '/mnt/special' },
      { from: 's3://lake/tables', to: '/mnt/lake' },
    ],
    '/repo/packages/backend',
  );

  it('maps a location below a prefix, relative targets from the base folder', () => {
    expect(mapping.map('/data/delta/event_summary')).toBe(
      '/repo/.cache/demo/delta/event_summary',
    );
    expect(mapping.map('/data/delta')).toBe('/repo/.cache/demo/delta');
    expect(mapping.map('s3://lake/tables/orders')).toBe('/mnt/lake/orders');
  });

  it('prefers the longest prefix and matches whole path segments only', () => {
    expect(mapping.map('/data/delta/special/t')).toBe('/mnt/special/t');
    expect(mapping.map('/data/deltax/t')).toBe('/data/deltax/t');
    expect(mapping.map('/elsewhere/t')).toBe('/elsewhere/t');
  });

  it('never maps a location out of the target folder', () => {
    expect(mapping.map('/data/delta/../../etc')).toBe('/data/delta/../../etc');
  });
});

describe('DeltaTableReader with a path mapping', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'delta-mapping-'));
    const log = path.join(dir, 'tables/event_summary/_delta_log');
    await fs.mkdir(log, { recursive: true });
    await fs.writeFile(
      path.join(log, '00000000000000000000.json'),
      [
        { commitInfo: { timestamp: 1, operation: 'STREAMING UPDATE' } },
        { add: { path: 'part-0.parquet', size: 1234 } },
      ]
        .map(line => JSON.stringify(line))
        .join('\n'),
    );
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads the table the catalog names at its mapped local folder', async () => {
    const reader = new DeltaTableReader(
      [path.join(dir, 'tables')],
      new DeltaPathMapping([{ from: '/data/delta', to: 'tables' }], dir),
    );
    const { facts, error } = await reader.read('/data/delta/event_summary');
    expect(error).toBeUndefined();
    expect(facts).toMatchObject({
      readable: true,
      version: 0,
      numFiles: 1,
      sizeBytes: 1234,
      lastOperation: { operation: 'STREAMING UPDATE' },
    });
  });

  it('still checks the mapped folder against the allowed roots', async () => {
    const reader = new DeltaTableReader(
      [path.join(dir, 'other')],
      new DeltaPathMapping([{ from: '/data/delta', to: 'tables' }], dir),
    );
    expect(await reader.read('/data/delta/event_summary')).toMatchObject({
      facts: { readable: false },
      error: 'outside streaming.delta.allowedRoots',
    });
  });
});
