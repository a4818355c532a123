import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { KafkaConnectClusters } from './KafkaConnectClusters';

const fromConfig = (kafkaConnect: object) => {
  const logger = mockServices.logger.mock();
  const clusters = KafkaConnectClusters.fromConfig(
    new ConfigReader({
      streaming: {
        kafkaConnect: {
          clusters: [{ name: 'local', url: 'http://127.0.0.1:8083' }],
          ...kafkaConnect,
        },
      },
    }),
    { logger },
  );
  return {
    clusters,
    warnings: logger.warn.mock.calls.map(([message]) => message),
  };
};

describe('KafkaConnectClusters.fromConfig', () => {
  it('reads the request timeout as a duration', () => {
    for (const requestTimeout of [{ seconds: 10 }, '10s', 'PT10S']) {
      const { clusters, warnings } = fromConfig({ requestTimeout });
      expect(clusters.clusterNames()).toEqual(['local']);
      expect(warnings).toEqual([]);
    }
  });

  it('fails on a bad request timeout, naming the key', () => {
    expect(() => fromConfig({ requestTimeout: 'soon' })).toThrow(
      "Invalid duration 'soon' in config at 'streaming.kafkaConnect.requestTimeout'",
    );
    expect(() => fromConfig({ requestTimeout: '0s' })).toThrow(
      'Invalid configuration: streaming.kafkaConnect.requestTimeout must be a duration greater than zero',
    );
  });

  it('still reads requestTimeoutMs, warning with the key that replaced it', () => {
    expect(fromConfig({ requestTimeoutMs: 5000 }).warnings).toEqual([
      'The streaming.kafkaConnect.requestTimeoutMs configuration key is deprecated and will be removed; use streaming.kafkaConnect.requestTimeout instead, a duration such as { milliseconds: 5000 }',
    ]);
  });
});

describe('KafkaConnectClusters.kafkaCluster', () => {
  const read = (connect: object) =>
    KafkaConnectClusters.fromConfig(
      new ConfigReader({
        streaming: {
          kafka: {
            clusters: [
              { name: 'local', brokers: ['127.0.0.1:9092'] },
              { name: 'eu', brokers: ['127.0.0.1:9093'] },
            ],
          },
          kafkaConnect: {
            clusters: [
              { name: 'cdc', url: 'http://127.0.0.1:8083', ...connect },
            ],
          },
        },
      }),
      { logger: mockServices.logger.mock() },
    );

  it('is the one the Connect cluster names, else the first Kafka cluster', () => {
    expect(read({ kafkaCluster: 'eu' }).kafkaCluster('cdc')).toBe('eu');
    expect(read({}).kafkaCluster('cdc')).toBe('local');
  });

  it('fails at startup on a Kafka cluster that is not configured, naming the configured ones', () => {
    expect(() => read({ kafkaCluster: 'us' })).toThrow(
      "streaming.kafkaConnect.clusters[cdc].kafkaCluster: no Kafka cluster named 'us'; configured in streaming.kafka.clusters are local, eu",
    );
  });
});
