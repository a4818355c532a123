import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readStreamingConfig } from '../../config/StreamingConfig';
import { progressEvent } from '../../__testUtils__/progressEvents';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import {
  sharedBroker,
  TestKafka,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import { DatabaseProgressStore } from '../ProgressStore/DatabaseProgressStore';
import { ProgressIngestor } from './ProgressIngestor';

jest.setTimeout(120_000);

const databases = createTestDatabases();

function configFor(brokers: string[], streaming: object = {}) {
  return readStreamingConfig(
    new ConfigReader({
      streaming: {
        progressTopic: uniqueName('progress'),
        progressConsumerGroup: uniqueName('progress-consumer'),
        kafka: {
          clusters: [
            {
              name: 'local',
              brokers,
              connectionTimeoutMs: 500,
              requestTimeoutMs: 1000,
            },
          ],
        },
        ...streaming,
      },
    }),
    mockServices.logger.mock(),
  );
}

describe('ProgressIngestor on the real broker and PostgreSQL', () => {
  let kafka: TestKafka;
  let ingestor: ProgressIngestor | undefined;

  beforeAll(async () => {
    kafka = await new TestKafka(await sharedBroker()).connect();
  });

  afterEach(async () => {
    await ingestor?.stop();
    ingestor = undefined;
  });

  afterAll(async () => {
    await kafka?.close();
  });

  it('skips records that would not fit the database and stores the pipelines behind them on the same partition', async () => {
    const config = configFor([kafka.broker]);
    await kafka.createTopic(config.progressTopic, 1);
    const store = await DatabaseProgressStore.create({
      database: mockServices.database({
        knex: await databases.init('POSTGRES_15'),
      }),
    });
    const now = Date.now();
    const event = (name: string, batchId: number, change: object = {}) =>
      JSON.stringify({
        ...progressEvent({
          name,
          batchId,
          timestamp: new Date(now - 60_000 + batchId),
        }),
        ...change,
      });
    await kafka.produceRecords(config.progressTopic, [
      { key: 'orders', value: event('orders', 0, { runId: 'r'.repeat(65) }) },
      { key: 'k'.repeat(256), value: event('x', 0, { name: null }) },
      { key: 'orders', value: event('clicks', 1) },
      { key: 'orders', value: event('orders', 2) },
      { key: 'clicks', value: event('clicks', 3) },
    ]);
    const stored: string[][] = [];
    ingestor = new ProgressIngestor(
      config,
      store,
      mockServices.logger.mock(),
      names => stored.push(names),
    );
    ingestor.start();
    await waitFor('two stored events', async () => ingestor!.stats.stored, {
      until: count => count === 2,
    });
    expect(ingestor.stats).toEqual({
      stored: 2,
      duplicates: 0,
      malformed: 3,
      unknown: 0,
      rejected: 0,
    });
    expect(
      (await store.listBatches('orders', { limit: 10 })).map(b => b.batchId),
    ).toEqual([2]);
    expect(
      (await store.listBatches('clicks', { limit: 10 })).map(b => b.batchId),
    ).toEqual([3]);
    expect(stored.flat().sort()).toEqual(['clicks', 'orders']);
  });

  it('retries a consumer that cannot reach Kafka with an exponential backoff up to a cap', async () => {
    // Nothing listens on this port: every start fails at once.
    const config = configFor(['127.0.0.1:1'], {
      progress: { restartInitial: '200ms', restartMax: '800ms' },
    });
    const logger = mockServices.logger.mock();
    const child = mockServices.logger.mock();
    logger.child.mockReturnValue(child);
    const store = await DatabaseProgressStore.create({
      database: mockServices.database({
        knex: await databases.init('SQLITE_3'),
      }),
    });
    ingestor = new ProgressIngestor(config, store, logger);
    ingestor.start();
    const delays = () =>
      child.warn.mock.calls.map(
        ([, fields]) => (fields as { retryInSeconds?: number }).retryInSeconds,
      );
    await waitFor('five ingestion delays', async () => delays(), {
      until: seen => seen.length >= 5,
    });
    expect(delays().slice(0, 5)).toEqual([0.2, 0.4, 0.8, 0.8, 0.8]);
  });
});
