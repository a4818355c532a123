import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readStreamingConfig } from '../../config/StreamingConfig';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { pipelineEntity } from '../../__testUtils__/testEntities';
import {
  sharedBroker,
  TestKafka,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { KafkaOffsetsPoller } from '../KafkaOffsets/KafkaOffsetsPoller';
import { readPipelineEntity } from '../Pipelines/PipelineCatalog';
import { DatabaseProgressStore } from '../ProgressStore/DatabaseProgressStore';
import { parseProgressRecord } from '../ProgressStore/progressEvent';
import { progressEvent } from '../../__testUtils__/progressEvents';
import { LagService } from './LagService';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe('LagService on the real broker', () => {
  let kafka: TestKafka;
  let poller: KafkaOffsetsPoller;

  beforeAll(async () => {
    kafka = await new TestKafka(await sharedBroker()).connect();
  });

  afterAll(async () => {
    await poller?.close();
    await kafka?.close();
  });

  it('forgets what it kept for pipelines the catalog no longer has', async () => {
    const topic = uniqueName('lag-retain');
    const group = uniqueName('lag-retain-group');
    await kafka.createTopic(topic, 1);
    await kafka.produce(topic, [0], 5);
    await kafka.commit(group, topic, { 0: 2 });
    const config = readStreamingConfig(
      new ConfigReader({
        streaming: {
          kafka: { clusters: [{ name: 'local', brokers: [kafka.broker] }] },
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
    const lag = new LagService(config, poller, store);
    const pipeline = readPipelineEntity(
      pipelineEntity({
        name: 'retained',
        topic,
        cluster: 'local',
        consumerGroups: group,
      }),
    );
    const historyAfterPoll = async () => {
      await poller.pollCluster('local');
      // Past the second in which one answer is shared.
      await new Promise(r => setTimeout(r, 1100));
      return (await lag.getLag(pipeline)).history.length;
    };
    expect(await historyAfterPoll()).toBe(1);
    expect(await historyAfterPoll()).toBe(2);

    lag.retainPipelines([pipeline.entityRef]);
    expect(await historyAfterPoll()).toBe(3);

    lag.retainPipelines([]);
    expect(await historyAfterPoll()).toBe(1);
  });

  it('keeps the lag answers and histories of at most lag.maxCachedPipelines pipelines', async () => {
    const names = ['cached-a', 'cached-b'];
    const topics = names.map(n => uniqueName(n));
    for (const topic of topics) {
      await kafka.createTopic(topic, 1);
      await kafka.produce(topic, [0], 5);
    }
    const config = readStreamingConfig(
      new ConfigReader({
        streaming: {
          kafka: { clusters: [{ name: 'local', brokers: [kafka.broker] }] },
          lag: { maxCachedPipelines: 1 },
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
    // Three micro-batches each: 3, then 4, then all 5 records read.
    for (const [k, name] of names.entries()) {
      const entries = [3, 4, 5].map((end, batchId) => {
        const parsed = parseProgressRecord(
          name,
          JSON.stringify(
            progressEvent({
              name,
              batchId,
              topic: topics[k],
              timestamp: new Date(Date.now() - (3 - batchId) * 60_000),
              endOffsets: { 0: end },
              startOffsets: { 0: end - 1 },
            }),
          ),
        );
        if (parsed.kind !== 'ok') throw new Error(JSON.stringify(parsed));
        return { queryName: name, batch: parsed.batch };
      });
      await store.addBatches(entries);
    }
    await poller.pollCluster('local');
    const reads = jest.spyOn(store, 'listBatches');
    const lag = new LagService(config, poller, store);
    const [a, b] = names.map((name, k) =>
      readPipelineEntity(
        pipelineEntity({ name, topic: topics[k], cluster: 'local' }),
      ),
    );

    const first = await lag.getLag(a);
    expect(first.totalMessages).toBe(0);
    expect(first.history.map(h => h.lagMessages)).toHaveLength(3);
    await lag.getLag(b);
    expect(reads).toHaveBeenCalledTimes(2);
    // b's answer and history took a's place: a's are worked out again, the
    // same, from the database.
    const again = await lag.getLag(a);
    expect(reads).toHaveBeenCalledTimes(3);
    expect(again).not.toBe(first);
    expect(again.history).toEqual(first.history);
  });
});
