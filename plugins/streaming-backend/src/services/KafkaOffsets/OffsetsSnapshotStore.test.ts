import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { DatabaseProgressStore } from '../ProgressStore/DatabaseProgressStore';
import { headKey, OffsetsSnapshot } from './OffsetsSnapshot';
import { OffsetsSnapshotStore } from './OffsetsSnapshotStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

function snapshotOf(cluster: string, latest: string): OffsetsSnapshot {
  return {
    snapshot: {
      cluster,
      observedAt: new Date(1_700_000_000_000),
      topics: new Map([
        [
          'orders',
          {
            topic: 'orders',
            exists: true,
            partitions: [
              {
                partition: 0,
                leader: 1,
                replicas: [1],
                isr: [1],
                earliest: '0',
                latest,
              },
              {
                partition: 1,
                leader: null,
                replicas: [1],
                isr: [],
                error: 'no leader',
              },
            ],
            recreatedAt: '2026-11-29T20:00:00.000Z',
          },
        ],
        ['gone', { topic: 'gone', exists: false, partitions: [] }],
      ]),
      groups: new Map([
        ['billing', new Map([['orders', new Map([[0, '40']])]])],
      ]),
    },
    groupErrors: new Map([['broken', 'COORDINATOR_NOT_AVAILABLE']]),
    failure: undefined,
    heads: new Map([
      [
        headKey('orders', 0),
        [
          { offset: 10, time: 1_700_000_000_000 },
          { offset: 50, time: 1_700_000_030_000 },
        ],
      ],
    ]),
  };
}

describe.each(databases.eachSupportedId())('OffsetsSnapshotStore on %p', id => {
  async function createStore() {
    const knex = await databases.init(id);
    const progress = await DatabaseProgressStore.create({
      database: mockServices.database({ knex }),
    });
    return new OffsetsSnapshotStore(progress.client);
  }

  it('gives back the snapshot a poll wrote, one row per cluster', async () => {
    const store = await createStore();
    expect(await store.read('local')).toBeUndefined();
    expect(await store.writtenAt('local')).toBeUndefined();
    await store.write(snapshotOf('local', '50'), 1_000);
    await store.write(snapshotOf('local', '60'), 2_000);
    expect(await store.read('local')).toEqual({
      ...snapshotOf('local', '60'),
      writtenAt: 2_000,
    });
    expect(await store.writtenAt('local')).toBe(2_000);
  });

  it('records asked names and prunes old ones and unknown clusters', async () => {
    const store = await createStore();
    await store.write(snapshotOf('local', '50'));
    await store.write(snapshotOf('removed', '50'));
    await store.recordAsked(
      { cluster: 'local', topics: ['a'], groups: ['g'] },
      1000,
    );
    await store.recordAsked({ cluster: 'local', topics: ['a'] }, 5000);
    expect(
      (await store.askedSince(2000)).map(a => [a.kind, a.name, a.askedAt]),
    ).toEqual([['topic', 'a', 5000]]);
    expect(await store.prune({ clusters: ['local'], askedBefore: 2000 })).toBe(
      2,
    );
    expect(await store.read('removed')).toBeUndefined();
    expect(await store.read('local')).toBeDefined();
    expect((await store.askedSince(0)).map(a => a.name)).toEqual(['a']);
  });
});
