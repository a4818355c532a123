import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readStreamingConfig, resolveKafkaCluster } from './StreamingConfig';

describe('readStreamingConfig', () => {
  it('applies the documented defaults', () => {
    const config = readStreamingConfig(
      new ConfigReader({}),
      mockServices.logger.mock(),
    );
    expect(config).toMatchObject({
      progressTopic: 'streaming.progress',
      kafka: { clusters: [] },
      lag: { pollIntervalMs: 30_000, historySize: 240 },
      retention: { maxAgeMs: 7 * 86_400_000, maxBatchesPerPipeline: 20000 },
      status: { staleAfterMs: 300_000 },
      cost: { currency: 'USD', rates: {} },
      alerts: { notify: false },
      catalog: { pageSize: 500, cacheTtlMs: 10_000 },
      overview: { pipelinesPerTurn: 100 },
    });
  });

  it('reads the catalog page size beside its cache time, refusing a page of none', () => {
    const read = (catalog: object) =>
      readStreamingConfig(
        new ConfigReader({ streaming: { catalog } }),
        mockServices.logger.mock(),
      );
    expect(read({ pageSize: 50, cacheTtl: '5s' }).catalog).toEqual({
      pageSize: 50,
      cacheTtlMs: 5_000,
    });
    expect(() => read({ pageSize: 0 })).toThrow(/streaming\.catalog\.pageSize/);
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
      mockServices.logger.mock(),
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
        mockServices.logger.mock(),
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
        mockServices.logger.mock(),
      ),
    ).toThrow(
      'Invalid configuration: streaming.kafka.clusters names "a" more than once',
    );
  });
});

describe('the durations of readStreamingConfig', () => {
  it('reads each in the object, string or ISO 8601 form, in milliseconds', () => {
    const logger = mockServices.logger.mock();
    const config = readStreamingConfig(
      new ConfigReader({
        streaming: {
          progress: { maxFutureSkew: '0s', restartInitial: '500ms' },
          lag: { pollInterval: { seconds: 10 }, expireAfter: 'PT15M' },
          topics: { listCacheTtl: '0s' },
          retention: { maxAge: { days: 3 } },
          catalog: { cacheTtl: '5 seconds' },
          status: { staleAfter: '2m', cacheTtl: 'PT20S' },
          alerts: { evaluateInterval: { minutes: 2 } },
          operations: { restartTimeout: '3m', deletePollInterval: '250ms' },
          delta: { cacheTtl: { minutes: 1 } },
        },
      }),
      logger,
    );
    expect(config).toMatchObject({
      progress: {
        maxFutureSkewMs: 0,
        restartInitialMs: 500,
        restartMaxMs: 300_000,
      },
      lag: { pollIntervalMs: 10_000, expireAfterMs: 900_000 },
      topics: { listCacheTtlMs: 0 },
      retention: { maxAgeMs: 3 * 86_400_000 },
      catalog: { cacheTtlMs: 5_000 },
      status: { staleAfterMs: 120_000, cacheTtlMs: 20_000 },
      alerts: { evaluateIntervalMs: 120_000 },
      operations: { restartTimeoutMs: 180_000, deletePollIntervalMs: 250 },
      delta: { cacheTtlMs: 60_000 },
    });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('fails at startup on a bad duration, naming the key', () => {
    const read = (streaming: object) => () =>
      readStreamingConfig(
        new ConfigReader({ streaming }),
        mockServices.logger.mock(),
      );
    expect(read({ lag: { pollInterval: 'often' } })).toThrow(
      "Invalid duration 'often' in config at 'streaming.lag.pollInterval'",
    );
    expect(read({ status: { staleAfter: 300 } })).toThrow(
      "key 'streaming.status.staleAfter'",
    );
    expect(read({ status: { cacheTtl: '0s' } })).toThrow(
      'Invalid configuration: streaming.status.cacheTtl must be a duration greater than zero',
    );
  });

  it('still reads the renamed number-of-units keys, warning once for each with the key that replaced it', () => {
    const logger = mockServices.logger.mock();
    const config = readStreamingConfig(
      new ConfigReader({
        streaming: {
          lag: { pollIntervalSeconds: 12 },
          retention: { maxAgeDays: 3 },
          operations: { deletePollMilliseconds: 250 },
        },
      }),
      logger,
    );
    expect(config.lag.pollIntervalMs).toBe(12_000);
    expect(config.retention.maxAgeMs).toBe(3 * 86_400_000);
    expect(config.operations.deletePollIntervalMs).toBe(250);
    expect(logger.warn.mock.calls.map(([message]) => message)).toEqual([
      'The streaming.lag.pollIntervalSeconds configuration key is deprecated and will be removed; use streaming.lag.pollInterval instead, a duration such as { seconds: 12 }',
      'The streaming.retention.maxAgeDays configuration key is deprecated and will be removed; use streaming.retention.maxAge instead, a duration such as { days: 3 }',
      'The streaming.operations.deletePollMilliseconds configuration key is deprecated and will be removed; use streaming.operations.deletePollInterval instead, a duration such as { milliseconds: 250 }',
    ]);
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
      mockServices.logger.mock(),
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
      mockServices.logger.mock(),
    );
    expect(production.kafka.clusters[0].sasl?.mechanism).toBe('scram-sha-512');
    expect(production.cost.rates.default).toEqual({
      coreHour: 0.04,
      gbHour: 0.005,
    });
  });
});
