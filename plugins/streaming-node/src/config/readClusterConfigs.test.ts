import { ConfigReader } from '@backstage/config';
import { readKafkaClusterConfigs } from './readClusterConfigs';
import { kafkaClientConfig } from '../kafka/kafkaClientConfig';

const config = (streaming: object) => new ConfigReader({ streaming });

describe('readKafkaClusterConfigs', () => {
  it('reads several named clusters with their defaults', () => {
    const clusters = readKafkaClusterConfigs(
      config({
        kafka: {
          clusters: [
            { name: 'local', brokers: ['127.0.0.1:9092'] },
            {
              name: 'prod',
              brokers: ['kafka-1.internal:9093'],
              ssl: true,
              sasl: {
                mechanism: 'scram-sha-512',
                username: 'svc',
                password: 'hunter2',
              },
              requestTimeoutMs: '5000',
            },
          ],
        },
      }),
    );
    expect(clusters.map(c => c.name)).toEqual(['local', 'prod']);
    expect(clusters[0].connectionTimeoutMs).toBe(3000);
    expect(clusters[1].requestTimeoutMs).toBe(5000);
  });

  it('means no clusters when the key is absent', () => {
    expect(readKafkaClusterConfigs(new ConfigReader({}))).toEqual([]);
  });

  it('names the wrong key and never the secret value', () => {
    const read = () =>
      readKafkaClusterConfigs(
        config({
          kafka: {
            clusters: [
              {
                name: 'prod',
                brokers: ['no-port'],
                sasl: {
                  mechanism: 'gssapi',
                  username: 'u',
                  password: 's3cr3t',
                },
              },
            ],
          },
        }),
      );
    expect(read).toThrow(
      /streaming\.kafka\.clusters\[0\]\.brokers\[0\]: expected host:port/,
    );
    expect(read).toThrow(/streaming\.kafka\.clusters\[0\]\.sasl\.mechanism/);
    expect(read).not.toThrow(/s3cr3t/);
  });

  it('refuses two clusters of the same name', () => {
    expect(() =>
      readKafkaClusterConfigs(
        config({
          kafka: {
            clusters: [
              { name: 'a', brokers: ['h:1'] },
              { name: 'a', brokers: ['h:2'] },
            ],
          },
        }),
      ),
    ).toThrow('streaming.kafka.clusters names "a" more than once');
  });
});

describe('kafkaClientConfig', () => {
  it('maps TLS and SASL and fills the client id', () => {
    const [cluster] = readKafkaClusterConfigs(
      config({
        kafka: {
          clusters: [
            {
              name: 'prod',
              brokers: ['b:9093'],
              ssl: true,
              sasl: { mechanism: 'plain', username: 'u', password: 'p' },
            },
          ],
        },
      }),
    );
    expect(kafkaClientConfig(cluster, { clientId: 'x' })).toEqual({
      clientId: 'x',
      brokers: ['b:9093'],
      connectionTimeout: 3000,
      requestTimeout: 10000,
      retry: undefined,
      ssl: true,
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
    });
  });
});
