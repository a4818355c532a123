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
});
