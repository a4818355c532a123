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
});
