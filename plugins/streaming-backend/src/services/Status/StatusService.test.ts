import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  sharedBroker,
  TestKafka,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { readStreamingConfig } from '../../config/StreamingConfig';
import { progressEvent } from '../../__testUtils__/progressEvents';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { pipelineEntity } from '../../__testUtils__/testEntities';
import { KafkaOffsetsPoller } from '../KafkaOffsets/KafkaOffsetsPoller';
import { LagService } from '../Lag/LagService';
import { readPipelineEntity } from '../Pipelines/PipelineCatalog';
import { DatabaseProgressStore } from '../ProgressStore/DatabaseProgressStore';
import { parseProgressRecord } from '../ProgressStore/progressEvent';
import { StatusService } from './StatusService';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe('StatusService without Kubernetes (status from micro-batches)', () => {
  let kafka: TestKafka;
  let poller: KafkaOffsetsPoller | undefined;

  beforeAll(async () => {
    kafka = await new TestKafka(await sharedBroker()).connect();
  });

  afterAll(async () => {
    await poller?.close();
    await kafka?.close();
  });

  it("measures the newest batch's age from its end: a long batch just reported runs, and is not stale", async () => {
    const name = uniqueName('slow-batches');
    await kafka.createTopic(name, 1);
    await kafka.produce(name, [0], 5);
    const config = readStreamingConfig(
      new ConfigReader({
        streaming: {
          kafka: { clusters: [{ name: 'local', brokers: [kafka.broker] }] },
          status: { staleAfter: { minutes: 2 } },
        },
      }),
      mockServices.logger.mock(),
    );
    poller = new KafkaOffsetsPoller(config, mockServices.logger.mock());
    const store = await DatabaseProgressStore.create({
      database: mockServices.database({
        knex: await databases.init('SQLITE_3'),
      }),
    });
    const status = new StatusService(
      config,
      { enabled: false, getApplication: async () => ({ errors: [] }) },
      new LagService(config, poller, store),
    );
    const pipeline = readPipelineEntity(
      pipelineEntity({ name, topic: name, cluster: 'local' }),
    );
    /** A batch that read every record, started and ended so long ago. */
    const batch = (startedSecondsAgo: number, tookSeconds: number) => {
      const parsed = parseProgressRecord(
        name,
        JSON.stringify(
          progressEvent({
            name,
            batchId: 0,
            topic: name,
            timestamp: new Date(Date.now() - startedSecondsAgo * 1000),
            triggerMs: tookSeconds * 1000,
            endOffsets: { 0: 5 },
          }),
        ),
      );
      if (parsed.kind !== 'ok') throw new Error(JSON.stringify(parsed));
      return parsed.batch;
    };

    // Started 150 s ago, took 140 s, reported 10 s ago: before, it was
    // 150 s old, past staleAfter (120 s), so "stale" and not running.
    const slow = await status.getState(pipeline, batch(150, 140));
    expect(slow.status.lastBatchAgeSeconds).toBeGreaterThanOrEqual(10);
    expect(slow.status.lastBatchAgeSeconds).toBeLessThan(60);
    expect(slow.status).toMatchObject({
      running: true,
      runningSource: 'progress',
      health: 'ok',
    });

    // A job that really stopped: its last batch ended 130 s ago.
    const stopped = await status.getState(pipeline, batch(131, 1));
    expect(stopped.status.lastBatchAgeSeconds).toBeGreaterThanOrEqual(130);
    expect(stopped.status).toMatchObject({ running: false, health: 'stale' });
  });
});
