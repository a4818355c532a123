import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readStreamingConfig, resolveKafkaCluster } from './StreamingConfig';

describe('readStreamingConfig', () => {
  it('applies the documented defaults', () => {
    const config = readStreamingConfig(new ConfigReader({}));
    expect(config).toMatchObject({
      progressTopic: 'streaming.progress',
      kafka: { clusters: [] },
      lag: { pollIntervalSeconds: 30, historySize: 240 },
      retention: { maxAgeDays: 7, maxBatchesPerPipeline: 20000 },
      status: { staleAfterSeconds: 300 },
      cost: { currency: 'USD', rates: {} },
      alerts: { notify: false },
    });
  });

  it('reads several SASL/SSL clusters and rates given as strings from the environment', () => {
    const config = readStreamingConfig(
      new ConfigReader({
        streaming: {
          kafka: {
            clusters: [
              { name: 'a', brokers: ['a:9092'] },
              {
                name: 'b',
                brokers: ['b1:9093', 'b2:9093'],
                ssl: true,
                sasl: {
                  mechanism: 'scram-sha-512',
                  username: 'u',
                  password: 'p',
                },
              },
            ],
          },
          cost: { rates: { default: { coreHour: '0.04', gbHour: '0.005' } } },
        },
      }),
    );
    expect(config.kafka.clusters.map(c => c.name)).toEqual(['a', 'b']);
    expect(config.cost.rates.default).toEqual({
      coreHour: 0.04,
      gbHour: 0.005,
    });
    expect(resolveKafkaCluster(config, 'b')).toEqual({ cluster: 'b' });
    expect(resolveKafkaCluster(config, undefined).error?.message).toBe(
      'No Kafka cluster named, and the configured ones are: a, b',
    );
    expect(resolveKafkaCluster(config, 'x').error?.message).toBe(
      'No Kafka cluster named x; configured: a, b',
    );
  });

  it('names every wrong key at startup', () => {
    expect(() =>
      readStreamingConfig(
        new ConfigReader({
          streaming: {
            kafka: { clusters: [{ name: 'a', brokers: ['no-port'] }] },
            kubernetes: { clusters: [{ name: 'k', defaultNamespace: '' }] },
          },
        }),
      ),
    ).toThrow(
      /^Invalid streaming configuration: streaming\.kafka\.clusters\[0\]\.brokers\[0\]: expected host:port; streaming\.kubernetes\.clusters\[0\]\.defaultNamespace: /,
    );
    expect(() =>
      readStreamingConfig(
        new ConfigReader({
          streaming: {
            kafka: {
              clusters: [
                { name: 'a', brokers: ['a:1'] },
                { name: 'a', brokers: ['b:1'] },
              ],
            },
          },
        }),
      ),
    ).toThrow(
      'Invalid configuration: streaming.kafka.clusters names "a" more than once',
    );
  });
});

describe('the app-config files of this repository', () => {
  const read = (file: string, env: Record<string, string> = {}) =>
    parseYaml(
      fs
        .readFileSync(path.resolve(__dirname, '../../../..', file), 'utf8')
        .replace(/\$\{(\w+)\}/g, (_, name: string) => env[name] ?? 'x'),
    );

  it('have a valid streaming block', () => {
    const local = readStreamingConfig(
      new ConfigReader(read('app-config.yaml')),
    );
    expect(local.kafka.clusters.map(c => c.name)).toEqual(['local']);
    const production = readStreamingConfig(
      new ConfigReader(
        read('app-config.production.yaml', {
          KAFKA_BROKERS: 'kafka-1.example.com:9093',
          K8S_CLUSTER_URL: 'https://k8s.example.com',
          COST_CORE_HOUR: '0.04',
          COST_GB_HOUR: '0.005',
        }),
      ),
    );
    expect(production.kafka.clusters[0].sasl?.mechanism).toBe('scram-sha-512');
    expect(production.cost.rates.default).toEqual({
      coreHour: 0.04,
      gbHour: 0.005,
    });
  });
});
