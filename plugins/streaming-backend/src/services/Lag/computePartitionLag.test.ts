import { ObservedTopic } from '@internal/plugin-streaming-node';
import { computePartitionLag } from './computePartitionLag';

const topic = (
  partitions: ObservedTopic['partitions'],
  recreatedAt?: string,
): ObservedTopic => ({
  topic: 'orders',
  exists: true,
  partitions,
  recreatedAt,
});
const partition = (
  p: number,
  earliest: string,
  latest: string,
  leader: number | null = 1,
) => ({
  partition: p,
  leader,
  replicas: [1],
  isr: leader === null ? [] : [1],
  earliest,
  latest,
});
const run = (options: Partial<Parameters<typeof computePartitionLag>[0]>) =>
  computePartitionLag({
    topics: [],
    consumed: undefined,
    missingIssue: 'no-progress',
    headHistory: () => [],
    now: 100_000,
    ...options,
  }).map(r => [r.partition, r.lagMessages, r.issue]);

describe('computePartitionLag', () => {
  it('names every edge case per partition', () => {
    expect(
      run({
        topics: [
          topic([
            partition(0, '0', '100'),
            partition(1, '50', '100'),
            partition(2, '0', '10'),
            partition(3, '0', '7', null),
            partition(4, '0', '9'),
          ]),
        ],
        consumed: { orders: { 0: 90, 1: 20, 2: 30, 3: 1 } },
        consumedAt: 40_000,
        consumedReportedAt: 41_000,
        observedAt: 50_000,
      }),
    ).toEqual([
      [0, 10, undefined],
      [1, 50, 'below-log-start'],
      [2, 10, 'topic-recreated'],
      [3, null, 'leaderless'],
      [4, 9, 'new-partition'],
    ]);
  });

  it('treats negative offsets and missing consumers as not consumed yet', () => {
    expect(
      run({
        topics: [topic([partition(0, '0', '5')])],
        consumed: { orders: { 0: -1 } },
      }),
    ).toEqual([[0, null, 'no-progress']]);
    expect(run({ topics: [topic([partition(0, '0', '5')])] })).toEqual([
      [0, null, 'no-progress'],
    ]);
    expect(
      run({
        topics: [topic([partition(0, '0', '5'), partition(1, '0', '5')])],
        consumed: { orders: { 0: 2 } },
        missingIssue: 'no-commit',
      }),
    ).toEqual([
      [0, 3, undefined],
      [1, null, 'no-commit'],
    ]);
  });

  it('sees a topic recreated after the consumer last reported', () => {
    expect(
      run({
        topics: [
          topic([partition(0, '0', '500')], new Date(50_000).toISOString()),
        ],
        consumed: { orders: { 0: 400 } },
        consumedAt: 40_000,
      }),
    ).toEqual([[0, 500, 'topic-recreated']]);
  });

  it('treats a batch newer than the offsets snapshot as caught up, never as a recreated topic', () => {
    // The snapshot saw the head at 100 (t=40 s); the batch at t=45 s read up
    // to 150, the head Spark itself saw then.
    const options = {
      topics: [topic([partition(0, '0', '100')])],
      consumed: { orders: { 0: 150 } },
      consumedLatest: { orders: { 0: 150 } },
      consumedAt: 45_000,
      consumedReportedAt: 46_000,
      observedAt: 40_000,
    };
    expect(run(options)).toEqual([[0, 0, undefined]]);
    // Without the batch's own latest offsets: still caught up, not recreated.
    expect(run({ ...options, consumedLatest: undefined })).toEqual([
      [0, 0, undefined],
    ]);
    // Behind at the batch: lag from the head the batch saw.
    expect(run({ ...options, consumed: { orders: { 0: 120 } } })).toEqual([
      [0, 30, undefined],
    ]);
  });

  it('calls a topic recreated only on an observation made after the batch', () => {
    const options = {
      topics: [topic([partition(0, '0', '100')])],
      consumed: { orders: { 0: 150 } },
      consumedLatest: { orders: { 0: 150 } },
      consumedAt: 45_000,
      consumedReportedAt: 46_000,
    };
    expect(run({ ...options, observedAt: 50_000 })).toEqual([
      [0, 100, 'topic-recreated'],
    ]);
    // A snapshot taken while the batch ran may predate Spark's own read.
    expect(run({ ...options, observedAt: 45_500 })).toEqual([
      [0, 0, undefined],
    ]);
  });

  it('counts lag seconds of a batch newer than the snapshot from the head the batch saw', () => {
    const [row] = computePartitionLag({
      topics: [topic([partition(0, '0', '100')])],
      consumed: { orders: { 0: 150 } },
      consumedLatest: { orders: { 0: 200 } },
      consumedAt: 30_000,
      consumedReportedAt: 30_500,
      observedAt: 20_000,
      missingIssue: 'no-progress',
      headHistory: () => [
        { offset: 50, time: 10_000 },
        { offset: 100, time: 20_000 },
      ],
      now: 31_000,
    });
    expect(row.lagMessages).toBe(50);
    // The head passed 150 between t=20 s (100) and t=30 s (200).
    expect(row.lagSeconds).toBeCloseTo(31 - 25.1, 5);
  });

  it('turns offsets into seconds with the head history', () => {
    const [row] = computePartitionLag({
      topics: [topic([partition(0, '0', '200')])],
      consumed: { orders: { 0: 100 } },
      missingIssue: 'no-progress',
      headHistory: () => [
        { offset: 100, time: 10_000 },
        { offset: 200, time: 20_000 },
      ],
      now: 30_000,
    });
    expect(row.lagSeconds).toBeCloseTo(19.9, 5);
  });
});
