import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { Admin, ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { TopicLimits } from '../kafka/TopicLimits';
import { KafkaAdmins } from '../services/KafkaAdmins/KafkaAdmins';
import { invokeAction } from '../__testUtils__/invokeAction';
import { runExample } from '../__testUtils__/runExample';
import {
  KAFKA_BROKERS,
  streamingConfig,
} from '../__testUtils__/testEnvironment';
import { uniqueName } from '@internal/plugin-streaming-node/testUtils';
import { createKafkaTopicCreateAction } from './kafkaTopicCreate';
import { examples } from './kafkaTopicCreate.examples';

describe('kafka:topic:create (local Kafka broker)', () => {
  const logger = mockServices.logger.mock();
  const kafkaAdmins = KafkaAdmins.fromConfig(streamingConfig(), { logger });
  const action = createKafkaTopicCreateAction({
    kafkaAdmins,
    topicLimits: TopicLimits.fromConfig(streamingConfig()),
  });
  let admin: Admin;

  beforeAll(async () => {
    admin = new Kafka({
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    await kafkaAdmins.close();
  });

  const run = (input: JsonObject, isDryRun = false) =>
    invokeAction(action, input, { isDryRun });

  async function describeTopic(name: string, configNames: string[]) {
    const metadata = await admin.fetchTopicMetadata({ topics: [name] });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames }],
    });
    return {
      partitions: metadata.topics[0].partitions.length,
      replicas: metadata.topics[0].partitions[0].replicas.length,
      configs: Object.fromEntries(
        configs.resources[0].configEntries.map(e => [
          e.configName,
          e.configValue,
        ]),
      ),
    };
  }

  it('creates a topic with the requested settings', async () => {
    const name = uniqueName('scaffolder.create');
    const outputs = await run({
      cluster: 'local',
      topics: [
        {
          name,
          partitions: 3,
          replicationFactor: 1,
          configs: { 'retention.ms': 3600000, 'cleanup.policy': 'compact' },
        },
      ],
    });
    expect(outputs.topics).toEqual([
      { name, status: 'created', partitions: 3, replicationFactor: 1 },
    ]);
    expect(
      await describeTopic(name, ['retention.ms', 'cleanup.policy']),
    ).toEqual({
      partitions: 3,
      replicas: 1,
      configs: { 'retention.ms': '3600000', 'cleanup.policy': 'compact' },
    });
  });

  it('succeeds again when the topic exists with the same settings (re-run after a crash)', async () => {
    const name = uniqueName('scaffolder.rerun');
    const input = {
      cluster: 'local',
      topics: [
        {
          name,
          partitions: 2,
          configs: { 'cleanup.policy': 'compact,delete' },
        },
      ],
    };
    await run(input);
    const second = await run({
      ...input,
      topics: [
        {
          name,
          partitions: 2,
          configs: { 'cleanup.policy': 'delete,compact' },
        },
      ],
    });
    expect(second.topics).toEqual([
      { name, status: 'exists', partitions: 2, replicationFactor: 1 },
    ]);
  });

  it('fails naming every difference when the topic exists with other settings', async () => {
    const name = uniqueName('scaffolder.differs');
    await run({
      cluster: 'local',
      topics: [{ name, partitions: 1, configs: { 'retention.ms': 60000 } }],
    });
    await expect(
      run({
        cluster: 'local',
        topics: [{ name, partitions: 4, configs: { 'retention.ms': 120000 } }],
      }),
    ).rejects.toThrow(
      `Topic "${name}" already exists on Kafka cluster "local" with different settings: partitions: requested 4, existing 1; retention.ms: requested "120000", existing "60000"`,
    );
  });

  it('validates at the broker in dry run and creates nothing', async () => {
    const name = uniqueName('scaffolder.dry');
    const outputs = await run(
      { cluster: 'local', topics: [{ name, partitions: 2 }] },
      true,
    );
    expect(outputs.topics).toEqual([
      { name, status: 'valid', partitions: 2, replicationFactor: null },
    ]);
    expect(await admin.listTopics()).not.toContain(name);

    await expect(
      run(
        {
          cluster: 'local',
          topics: [{ name, partitions: 1, replicationFactor: 3 }],
        },
        true,
      ),
    ).rejects.toThrow(
      `Kafka cluster "local" rejected topic "${name}": INVALID_REPLICATION_FACTOR`,
    );
    expect(await admin.listTopics()).not.toContain(name);
  });

  it.each([
    ['../../etc/passwd', /a topic name is 1 to 249 characters/],
    ['orders; rm -rf /', /a topic name is 1 to 249 characters/],
    ['..', /a topic name is 1 to 249 characters/],
    ['x'.repeat(250), /a topic name is 1 to 249 characters/],
  ])('rejects the topic name %j', async (name, message) => {
    await expect(run({ cluster: 'local', topics: [{ name }] })).rejects.toThrow(
      message,
    );
  });

  it.each([
    [
      'eleven topics in one step',
      (name: string) =>
        Array.from({ length: 11 }, (_, i) => ({ name: `${name}-${i}` })),
      '11 topics: 11 exceeds the limit of 10 on cluster "local" (streaming.scaffolder.kafkaTopics.maxTopicsPerStep)',
    ],
    [
      '10,000 partitions',
      (name: string) => [{ name, partitions: 10000 }],
      'partitions 10000 exceeds the limit of 100 on cluster "local" (streaming.scaffolder.kafkaTopics.maxPartitions)',
    ],
    [
      'replication factor 16',
      (name: string) => [{ name, replicationFactor: 16 }],
      'replication factor 16 exceeds the limit of 3 on cluster "local" (streaming.scaffolder.kafkaTopics.maxReplicationFactor)',
    ],
    [
      'unlimited retention',
      (name: string) => [{ name, configs: { 'retention.ms': -1 } }],
      'retention.ms -1 (unlimited) exceeds the limit of 2592000000 on cluster "local" (streaming.scaffolder.kafkaTopics.maxRetentionMs)',
    ],
    [
      'a year of retention',
      (name: string) => [{ name, configs: { 'retention.ms': 31536000000 } }],
      'retention.ms 31536000000 exceeds the limit of 2592000000 on cluster "local" (streaming.scaffolder.kafkaTopics.maxRetentionMs)',
    ],
    [
      '1 GB messages',
      (name: string) => [
        { name, configs: { 'max.message.bytes': '1073741824' } },
      ],
      'max.message.bytes 1073741824 exceeds the limit of 8388608 on cluster "local" (streaming.scaffolder.kafkaTopics.maxMessageBytes)',
    ],
  ])(
    'refuses %s with the default limits, creating nothing',
    async (_what, topics, message) => {
      const name = uniqueName('scaffolder.limits');
      const requested = topics(name);
      for (const isDryRun of [true, false]) {
        await expect(
          run({ cluster: 'local', topics: requested }, isDryRun),
        ).rejects.toThrow(message);
      }
      const existing = await admin.listTopics();
      expect(requested.filter(t => existing.includes(t.name))).toEqual([]);
    },
  );

  it('applies limits configured per cluster, at the broker', async () => {
    const limited = createKafkaTopicCreateAction({
      kafkaAdmins,
      topicLimits: TopicLimits.fromConfig(
        streamingConfig({
          scaffolder: {
            kafkaTopics: {
              maxPartitions: 2,
              clusters: [{ name: 'local', maxPartitions: 6 }],
            },
          },
        }),
      ),
    });
    const name = uniqueName('scaffolder.cluster-limits');
    const outputs = await invokeAction(limited, {
      cluster: 'local',
      topics: [{ name, partitions: 6 }],
    });
    expect(outputs.topics).toEqual([
      { name, status: 'created', partitions: 6, replicationFactor: 1 },
    ]);
    expect((await describeTopic(name, [])).partitions).toBe(6);
    await expect(
      invokeAction(limited, {
        cluster: 'local',
        topics: [{ name: `${name}-more`, partitions: 7 }],
      }),
    ).rejects.toThrow(
      'partitions 7 exceeds the limit of 6 on cluster "local" (streaming.scaffolder.kafkaTopics.maxPartitions)',
    );
  });

  it('lets only the templates allowed on a cluster create topics there', async () => {
    const guarded = createKafkaTopicCreateAction({
      kafkaAdmins,
      topicLimits: TopicLimits.fromConfig(
        streamingConfig({
          scaffolder: {
            kafkaTopics: {
              clusters: [
                {
                  name: 'local',
                  allowedTemplates: ['template:default/kafka-to-delta'],
                },
              ],
            },
          },
        }),
      ),
    });
    const name = uniqueName('scaffolder.allowed');
    await expect(
      invokeAction(
        guarded,
        { cluster: 'local', topics: [{ name }] },
        { templateRef: 'template:default/someone-elses' },
      ),
    ).rejects.toThrow(
      'Template template:default/someone-elses may not create topics on Kafka cluster "local" (streaming.scaffolder.kafkaTopics.clusters[].allowedTemplates: template:default/kafka-to-delta)',
    );
    await expect(
      invokeAction(guarded, { cluster: 'local', topics: [{ name }] }),
    ).rejects.toThrow('Template (unknown) may not create topics');
    expect(await admin.listTopics()).not.toContain(name);
    const outputs = await invokeAction(
      guarded,
      { cluster: 'local', topics: [{ name }] },
      { templateRef: 'template:default/kafka-to-delta' },
    );
    expect(outputs.topics[0]).toMatchObject({ name, status: 'created' });
  });

  it.each([
    ['__consumer_offsets', /reserved for Kafka's internal topics/],
    ['__transaction_state', /reserved for Kafka's internal topics/],
    ['--bootstrap-server', /must not start with "-"/],
  ])('refuses the topic name %j', async (name, message) => {
    for (const isDryRun of [true, false]) {
      await expect(
        run({ cluster: 'local', topics: [{ name }] }, isDryRun),
      ).rejects.toThrow(message);
    }
  });

  it('rejects configs outside the allow-list and bad values, naming them', async () => {
    const name = uniqueName('scaffolder.configs');
    await expect(
      run({
        cluster: 'local',
        topics: [
          {
            name,
            configs: {
              'follower.replication.throttled.replicas': '*',
              'retention.ms': 'forever',
              'cleanup.policy': 'delete,delete',
            },
          },
        ],
      }),
    ).rejects.toThrow(
      `Invalid topics: topic "${name}": config "follower.replication.throttled.replicas" is not allowed; allowed: cleanup.policy`,
    );
    await expect(
      run({
        cluster: 'local',
        topics: [{ name, configs: { 'retention.ms': 'forever' } }],
      }),
    ).rejects.toThrow(
      'config retention.ms must be a whole number of 0 or more, or -1 for unlimited, got "forever"',
    );
    expect(await admin.listTopics()).not.toContain(name);
  });

  it('rejects an unknown cluster, listing the configured ones', async () => {
    await expect(
      run({ cluster: 'prod', topics: [{ name: 'orders' }] }),
    ).rejects.toThrow('No Kafka cluster named "prod"; configured: local');
  });

  it('rejects a topic listed twice and malformed input', async () => {
    await expect(
      run({ cluster: 'local', topics: [{ name: 'a' }, { name: 'a' }] }),
    ).rejects.toThrow('topics listed more than once: a');
    await expect(
      run({ cluster: 'local', topics: [{ name: 'a', partitions: 0 }] }),
    ).rejects.toThrow('topics[0].partitions');
  });

  it('stops when the task is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const name = uniqueName('scaffolder.cancelled');
    await expect(
      invokeAction(
        action,
        { cluster: 'local', topics: [{ name }] },
        { signal: controller.signal },
      ),
    ).rejects.toThrow(/aborted/i);
    expect(await admin.listTopics()).not.toContain(name);
  });

  it('never logs or outputs the SASL password of a cluster', async () => {
    const password = 'sasl-password-that-must-not-leak';
    const secretLogger = mockServices.logger.mock();
    const secured = KafkaAdmins.fromConfig(
      streamingConfig({
        kafka: {
          clusters: [
            {
              name: 'secured',
              brokers: KAFKA_BROKERS,
              sasl: { mechanism: 'scram-sha-512', username: 'svc', password },
              connectionTimeoutMs: 1000,
            },
          ],
        },
      }),
      { logger: secretLogger },
    );
    const securedAction = createKafkaTopicCreateAction({
      kafkaAdmins: secured,
      topicLimits: TopicLimits.fromConfig(streamingConfig()),
    });
    const error = await invokeAction(securedAction, {
      cluster: 'secured',
      topics: [{ name: uniqueName('scaffolder.secured') }],
    }).catch(e => e);
    await secured.close();
    expect(error).toBeInstanceOf(Error);
    const everything = JSON.stringify([
      String(error),
      error.stack,
      ...Object.values(secretLogger).flatMap(fn =>
        jest.isMockFunction(fn) ? fn.mock.calls : [],
      ),
    ]);
    expect(everything).not.toContain(password);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const [outputs] = await runExample(action, example);
      const topics: Array<{ name: string; status: string }> = outputs.topics;
      for (const topic of topics) {
        expect(['created', 'exists']).toContain(topic.status);
        expect(await admin.listTopics()).toContain(topic.name);
      }
    },
  );
});
