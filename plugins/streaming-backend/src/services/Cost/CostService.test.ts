import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { readStreamingConfig } from '../../config/StreamingConfig';
import { pipelineEntity } from '../../__testUtils__/testEntities';
import { readPipelineEntity } from '../Pipelines/PipelineCatalog';
import { DatabaseProgressStore } from '../ProgressStore/DatabaseProgressStore';
import { parseProgressRecord } from '../ProgressStore/progressEvent';
import { progressEvent } from '../../__testUtils__/progressEvents';
import { SparkApplicationInfo } from '@internal/plugin-streaming-node';
import { activeHoursPerDay, CostService, currentRunStart } from './CostService';
import { OpenCostSource } from './OpenCostSource';
import { RatesCostSource } from './RatesCostSource';

const config = readStreamingConfig(
  new ConfigReader({
    streaming: {
      cost: {
        currency: 'EUR',
        rates: {
          default: { coreHour: 0.05, gbHour: 0.01 },
          prod: { coreHour: 0.1, gbHour: 0.02 },
        },
      },
    },
  }),
  mockServices.logger.mock(),
);
const pipeline = readPipelineEntity(
  pipelineEntity({
    name: 'orders-to-delta',
    topic: 'orders',
    cluster: 'local',
  }),
);
const application: SparkApplicationInfo = {
  cluster: 'prod',
  namespace: 'streaming',
  name: 'orders-to-delta',
  state: 'RUNNING',
  executors: { running: 3, total: 3, max: 3 },
  lastSubmittedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
  resources: {
    driver: { cores: 1, memoryGb: 2 },
    executor: { cores: 2, memoryGb: 4, instances: 3 },
  },
};

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('cost', () => {
  it('prices the summary with the default rate and the SparkApplication with its cluster rate', async () => {
    const rates = new RatesCostSource(config);
    const fromSummary = await rates.estimate(pipeline);
    const r = pipeline.summary.resources;
    expect(fromSummary.driverPerHour).toBeCloseTo(
      r.driver.cores * 0.05 + r.driver.memoryGb * 0.01,
      6,
    );
    expect(fromSummary.executorsPerHour).toBeCloseTo(
      r.executor.instances *
        (r.executor.cores * 0.05 + r.executor.memoryGb * 0.01),
      6,
    );
    const fromApp = await rates.estimate(pipeline, application);
    expect(fromApp).toMatchObject({ driverPerHour: 0.14, errors: [] });
    expect(fromApp.executorsPerHour).toBeCloseTo(3 * (2 * 0.1 + 4 * 0.02), 6);
    const noRates = await new RatesCostSource(
      readStreamingConfig(new ConfigReader({}), mockServices.logger.mock()),
    ).estimate(pipeline);
    expect(noRates.errors[0].message).toBe(
      'No cost rate for cluster (none): set streaming.cost.rates.default',
    );
  });

  it('gives per hour, day, month, million records, uptime and daily history', async () => {
    const store = await DatabaseProgressStore.create({
      database: mockServices.database({
        knex: await databases.init('SQLITE_3'),
      }),
    });
    const now = Date.now();
    const batches = Array.from({ length: 4 }, (_, i) => {
      const parsed = parseProgressRecord(
        'orders-to-delta',
        JSON.stringify(
          progressEvent({
            name: 'orders-to-delta',
            batchId: i,
            timestamp: new Date(now - (3 - i) * 60_000),
            numInputRows: 5000,
          }),
        ),
      );
      if (parsed.kind !== 'ok') throw new Error(parsed.reason);
      return { queryName: parsed.queryName, batch: parsed.batch };
    });
    await store.addBatches(batches);
    const service = new CostService(config, new RatesCostSource(config), store);
    const cost = await service.getCost(
      pipeline,
      application,
      batches[3].batch,
      true,
    );
    const perHour = 0.14 + 3 * (2 * 0.1 + 4 * 0.02);
    expect(cost).toMatchObject({
      currency: 'EUR',
      source: 'rates',
      running: true,
      resources: application.resources,
    });
    expect(cost.perHour).toBeCloseTo(perHour, 4);
    expect(cost.perDay).toBeCloseTo(perHour * 24, 3);
    expect(cost.perMonth).toBeCloseTo(perHour * 730, 2);
    // 1000 rows/s: 3.6M rows an hour.
    expect(cost.perMillionRecords).toBeCloseTo(perHour / 3.6, 4);
    expect(cost.uptimeHours).toBeCloseTo(2, 2);
    expect(cost.history).toHaveLength(7);
    expect(cost.history.reduce((sum, d) => sum + d.cost, 0)).toBeCloseTo(
      (3 / 60) * perHour,
      3,
    );
  });

  it('finds activity and the current run from batch times', () => {
    const t = Date.parse('2026-11-23T10:00:00Z');
    expect(
      currentRunStart([t, t + 1000, t + 900_000, t + 901_000], 60_000),
    ).toBe(t + 900_000);
    expect(
      activeHoursPerDay([t, t + 1_800_000, t + 3_600_000], 3_600_000).get(
        '2026-11-23',
      ),
    ).toBe(1);
  });

  describe('OpenCost', () => {
    let server: http.Server;
    let url: string;
    const queries: string[] = [];

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        queries.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            code: 200,
            data: [
              {
                'orders-to-delta': {
                  name: 'orders-to-delta',
                  properties: {
                    cluster: 'cluster-one',
                    labels: {
                      sparkoperator_k8s_io_app_name: 'orders-to-delta',
                    },
                  },
                  window: {
                    start: '2026-11-16T00:00:00Z',
                    end: '2026-11-23T00:00:00Z',
                  },
                  start: '2026-11-16T00:00:00Z',
                  end: '2026-11-23T00:00:00Z',
                  minutes: 600,
                  cpuCores: 7,
                  cpuCost: 6,
                  ramBytes: 15032385536,
                  ramCost: 4,
                  totalCost: 10,
                },
                __idle__: { name: '__idle__', minutes: 10080, totalCost: 99 },
              },
            ],
          }),
        );
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(() => new Promise(resolve => server.close(resolve)));

    it('prices from the allocation API and falls back to the rates for unknown applications', async () => {
      const source = new OpenCostSource(
        { url, window: '7d' },
        new RatesCostSource(config),
      );
      const estimate = await source.estimate(pipeline, application);
      expect(estimate.source).toBe('opencost');
      expect(estimate.driverPerHour + estimate.executorsPerHour).toBeCloseTo(
        1,
        6,
      );
      expect(queries[0]).toBe(
        '/allocation/compute?window=7d&aggregate=label%3Asparkoperator_k8s_io_app_name&accumulate=true',
      );
      const other = await source.estimate(
        readPipelineEntity(
          pipelineEntity({ name: 'clicks', topic: 'clicks', cluster: 'local' }),
        ),
      );
      expect(other.source).toBe('rates');
      expect(other.errors).toEqual([
        {
          source: 'opencost',
          message: 'No allocation for clicks; using the rates',
        },
      ]);
      // One answer of the allocation API serves every pipeline.
      expect(queries).toHaveLength(1);
    });
  });
});
