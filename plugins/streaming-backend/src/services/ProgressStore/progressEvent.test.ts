import { progressEvent } from '../../__testUtils__/progressEvents';
import { parseProgressRecord } from './progressEvent';

describe('parseProgressRecord', () => {
  const event = progressEvent({
    name: 'orders-to-delta',
    batchId: 7,
    timestamp: new Date('2026-11-23T20:00:00.123Z'),
    topic: 'orders',
    startOffsets: { 0: 10, 1: 20 },
    endOffsets: { 0: 15, 1: 26 },
    numInputRows: 11,
  });

  it('keeps what the API serves', () => {
    const parsed = parseProgressRecord(
      'orders-to-delta',
      JSON.stringify(event),
    );
    expect(parsed.kind).toBe('ok');
    if (parsed.kind !== 'ok') return;
    expect(parsed.queryName).toBe('orders-to-delta');
    expect(parsed.batch).toMatchObject({
      batchId: 7,
      timestamp: '2026-11-23T20:00:00.123Z',
      numInputRows: 11,
      watermark: '2026-11-23T19:49:59.998Z',
      sinkNumOutputRows: -1,
      durationMs: { triggerExecution: 850, addBatch: 610 },
    });
    expect(parsed.batch.sources[0].endOffset).toEqual({
      orders: { '0': 15, '1': 26 },
    });
    expect(parsed.batch.stateOperators[0]).toMatchObject({
      numRowsTotal: 42,
      memoryUsedBytes: 90312,
    });
  });

  it("keeps the input bytes and bad records of the generated job's observation", () => {
    const observed = (observedMetrics: unknown) => {
      const parsed = parseProgressRecord(
        'orders-to-delta',
        JSON.stringify({ ...event, observedMetrics }),
      );
      if (parsed.kind !== 'ok') throw new Error(parsed.reason);
      return parsed.batch;
    };
    expect(
      observed({ pipeline: { input_bytes: 5120, bad_records: 2 } }),
    ).toMatchObject({ inputBytes: 5120, badRecords: 2 });
    expect(
      observed({
        pipeline: { input_bytes: 64, bad_records: 3, dead_letter_records: 3 },
      }),
    ).toMatchObject({ badRecords: 3, deadLetterRecords: 3 });
    // Another observation, or values that are not counts, say nothing.
    const other = observed({
      mine: { input_bytes: 1 },
      pipeline: { input_bytes: -1, bad_records: 'many' },
    });
    expect(other.inputBytes).toBeUndefined();
    expect(other.badRecords).toBeUndefined();
    expect(other.deadLetterRecords).toBeUndefined();
    expect(observed(undefined).inputBytes).toBeUndefined();
    // Bounded like every other map of an event.
    const many = Object.fromEntries(
      Array.from({ length: 65 }, (_, i) => [`o${i}`, {}]),
    );
    expect(
      parseProgressRecord(
        'orders-to-delta',
        JSON.stringify({ ...event, observedMetrics: many }),
      ),
    ).toMatchObject({ kind: 'malformed' });
  });

  it('keeps what the driver runs, as the generated job reports it, bounded', () => {
    const runtimeOf = (runtime: unknown) => {
      const parsed = parseProgressRecord(
        'orders-to-delta',
        JSON.stringify({ ...event, runtime }),
      );
      if (parsed.kind !== 'ok') throw new Error(parsed.reason);
      return parsed.batch.runtime;
    };
    expect(
      runtimeOf({ master: 'local[2]', defaultParallelism: 2, executors: null }),
    ).toEqual({ master: 'local[2]', defaultParallelism: 2, executors: null });
    expect(
      runtimeOf({
        master: 'k8s://https://api:6443',
        defaultParallelism: 8,
        executors: 4,
      }),
    ).toEqual({
      master: 'k8s://https://api:6443',
      defaultParallelism: 8,
      executors: 4,
    });
    // A report that is not one (too long, not counts) says nothing; the batch is kept.
    expect(
      runtimeOf({
        master: 'x'.repeat(65),
        defaultParallelism: 2,
        executors: null,
      }),
    ).toBeUndefined();
    expect(
      runtimeOf({
        master: 'local[2]',
        defaultParallelism: -1,
        executors: null,
      }),
    ).toBeUndefined();
    expect(runtimeOf('local[2]')).toBeUndefined();
    expect(runtimeOf(undefined)).toBeUndefined();
  });

  it('reads offsets written as JSON strings and leaves out non-Kafka offsets', () => {
    const delta = {
      ...event,
      sources: [
        {
          description: 'DeltaSource[file:/data/delta/users]',
          startOffset: {
            sourceVersion: 1,
            reservoirId: 'r',
            reservoirVersion: 3,
            index: -1,
            isStartingVersion: false,
          },
          endOffset: JSON.stringify({ orders: { 0: 5 } }),
          numInputRows: 0,
        },
      ],
    };
    const parsed = parseProgressRecord(undefined, JSON.stringify(delta));
    expect(parsed.kind === 'ok' && parsed.batch.sources[0]).toMatchObject({
      startOffset: undefined,
      endOffset: { orders: { '0': 5 } },
      inputRowsPerSecond: 0,
    });
  });

  it.each([
    [undefined, 'malformed', 'empty value'],
    ['{', 'malformed', 'value is not JSON'],
    [
      JSON.stringify({ ...event, batchId: -1 }),
      'malformed',
      'batchId: Too small: expected number to be >=0',
    ],
    [
      JSON.stringify({ ...event, timestamp: 'yesterday' }),
      'malformed',
      'timestamp: Invalid ISO datetime',
    ],
    [
      JSON.stringify({ ...event, name: null }),
      'unknown',
      'neither a key nor a query name',
    ],
  ])('counts %s as %s', (value, kind, reason) => {
    expect(parseProgressRecord(undefined, value)).toEqual({ kind, reason });
  });

  it.each([
    ['a runId over 64 characters', { runId: 'r'.repeat(65) }, 'runId'],
    ['an id over 64 characters', { id: 'i'.repeat(65) }, 'id'],
    ['a name over 255 characters', { name: 'n'.repeat(256) }, 'name'],
    [
      'a source description over 4096 characters',
      {
        sources: [
          {
            ...(event.sources as object[])[0],
            description: 'd'.repeat(4097),
          },
        ],
      },
      'sources[0]',
    ],
    [
      'more than 100 sources',
      {
        sources: Array.from(
          { length: 101 },
          () => (event.sources as unknown[])[0],
        ),
      },
      'sources',
    ],
    [
      'more than 64 durations',
      {
        durationMs: Object.fromEntries(
          Array.from({ length: 65 }, (_, i) => [`d${i}`, i]),
        ),
      },
      'durationMs',
    ],
  ])('counts a record with %s as malformed', (_what, change, path) => {
    const parsed = parseProgressRecord(
      'orders-to-delta',
      JSON.stringify({ ...event, ...change }),
    );
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind !== 'ok' && parsed.reason).toMatch(
      new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}[.:]`),
    );
  });

  it('counts a key over 255 characters or with control characters as malformed', () => {
    const value = JSON.stringify({ ...event, name: null });
    expect(parseProgressRecord('k'.repeat(256), value)).toEqual({
      kind: 'malformed',
      reason: 'key: expected at most 255 characters without control characters',
    });
    expect(parseProgressRecord('a\u0000b', value).kind).toBe('malformed');
  });

  it('refuses an event whose name is not its key: an event speaks only for its own pipeline', () => {
    expect(
      parseProgressRecord('clicks-to-delta', JSON.stringify(event)),
    ).toEqual({
      kind: 'malformed',
      reason: 'name orders-to-delta does not match the key clicks-to-delta',
    });
  });

  it('refuses events too far in the future, naming the limit', () => {
    const now = Date.parse('2026-11-23T20:00:00.000Z');
    const at = (ms: number) =>
      JSON.stringify({ ...event, timestamp: new Date(now + ms).toISOString() });
    const limits = { maxFutureSkewMs: 60_000, maxEventBytes: 1 << 20 };
    expect(
      parseProgressRecord('orders-to-delta', at(59_000), { now, limits }).kind,
    ).toBe('ok');
    expect(
      parseProgressRecord('orders-to-delta', at(61_000), { now, limits }),
    ).toEqual({
      kind: 'malformed',
      reason:
        'timestamp: 2026-11-23T20:01:01.000Z is more than 60 s ahead of the backend clock (streaming.progress.maxFutureSkew)',
    });
  });

  it('refuses events larger than the limit, naming it', () => {
    const value = JSON.stringify(event);
    expect(
      parseProgressRecord('orders-to-delta', value, {
        limits: { maxFutureSkewMs: 300_000, maxEventBytes: 100 },
      }),
    ).toEqual({
      kind: 'malformed',
      reason: `value: ${Buffer.byteLength(
        value,
      )} bytes, more than 100 (streaming.progress.maxEventBytes)`,
    });
  });
});
