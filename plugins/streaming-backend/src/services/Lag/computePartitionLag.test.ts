import { ObservedTopic } from '../KafkaOffsets/OffsetSource';
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
