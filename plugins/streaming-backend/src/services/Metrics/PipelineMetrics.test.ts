import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  pipelineDashboard,
  platformDashboard,
} from '@internal/plugin-streaming-codegen';
import {
  parsePipelineSpec,
  PIPELINE_METRICS,
} from '@internal/plugin-streaming-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { parsePrometheusText } from '../../__testUtils__/prometheusText';
import { pipelineSpecText } from '../../__testUtils__/testEntities';
import { OverviewEntry } from '../Overview/OverviewService';
import { IngestionStats } from '../ProgressIngestor/ProgressIngestor';
import { PipelineMetrics } from './PipelineMetrics';
import { pipelineMetricValues } from './pipelineMetricValues';

function entry(
  name: string,
  figures: {
    lag?: { messages: number; seconds: number | null };
    batchAt?: string;
    /** The newest batch's observed figures. */
    observed?: {
      inputBytes?: number;
      badRecords?: number;
      deadLetterRecords?: number;
    };
    inputRowsPerSecond?: number;
    processingDelayMs?: number;
    monthlyCost?: number;
    health?: string;
    running?: boolean;
  },
) {
  return {
    pipeline: {
      entityRef: `component:default/${name}`,
      summary: { name },
    },
    state: {
      lag: {
        known: !!figures.lag,
        totalMessages: figures.lag?.messages ?? 0,
        maxLagSeconds: figures.lag?.seconds ?? null,
        errors: [],
      },
      latestBatch: figures.batchAt
        ? {
            timestamp: figures.batchAt,
            durationMs: { triggerExecution: figures.processingDelayMs },
            ...figures.observed,
          }
        : null,
    },
    row: {
      owner: 'group:default/team-growth',
      system: 'analytics',
      health: figures.health ?? 'ok',
      inputRowsPerSecond: figures.inputRowsPerSecond ?? null,
      processingDelayMs: figures.processingDelayMs ?? null,
      monthlyCost: figures.monthlyCost ?? null,
      running: figures.running ?? true,
    },
  } as unknown as OverviewEntry;
}

/** The real OpenTelemetry SDK and Prometheus exporter, served on a loopback port. */
async function exporterEndpoint() {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  const server = http.createServer((req, res) =>
    exporter.getMetricsRequestHandler(req, res),
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    meter: provider.getMeter('backstage-plugin-streaming'),
    scrape: async () =>
      parsePrometheusText(
        await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
      ),
    close: async () => {
      server.close();
      await provider.shutdown();
    },
  };
}

describe('pipelineMetricValues', () => {
  it('reads every figure, leaving unknown ones out', () => {
    const values = pipelineMetricValues([
      entry('orders-to-delta', {
        lag: { messages: 1200, seconds: 42.5 },
        batchAt: '2026-11-23T10:00:00.000Z',
        observed: { inputBytes: 5120, badRecords: 3, deadLetterRecords: 3 },
        inputRowsPerSecond: 980,
        processingDelayMs: 2500,
        monthlyCost: 730,
        health: 'warning',
      }),
      entry('new-pipeline', { health: 'unknown' }),
      // A job that does not observe its records reports neither figure.
      entry('old-job', { batchAt: '2026-11-23T10:00:00.000Z' }),
      entry('idle', { monthlyCost: 730, running: false }),
    ]);
    expect(values.map(v => [v.metric, v.attributes.pipeline, v.value])).toEqual(
      [
        ['lagMessages', 'orders-to-delta', 1200],
        ['lagSeconds', 'orders-to-delta', 42.5],
        // When the batch ended: its trigger time plus its 2.5 s.
        [
          'lastBatchTimestamp',
          'orders-to-delta',
          Date.parse('2026-11-23T10:00:02.500Z') / 1000,
        ],
        ['inputRowsPerSecond', 'orders-to-delta', 980],
        ['lastBatchInputBytes', 'orders-to-delta', 5120],
        ['lastBatchBadRecords', 'orders-to-delta', 3],
        ['lastBatchDeadLetterRecords', 'orders-to-delta', 3],
        ['batchDurationSeconds', 'orders-to-delta', 2.5],
        ['costPerHour', 'orders-to-delta', 1],
        ['health', 'orders-to-delta', 1],
        ['info', 'orders-to-delta', 1],
        ['health', 'new-pipeline', 1],
        ['info', 'new-pipeline', 1],
        [
          'lastBatchTimestamp',
          'old-job',
          Date.parse('2026-11-23T10:00:00.000Z') / 1000,
        ],
        ['health', 'old-job', 1],
        ['info', 'old-job', 1],
        // An idle pipeline's cost is no spending.
        ['health', 'idle', 1],
        ['info', 'idle', 1],
      ],
    );
    expect(values.find(v => v.metric === 'health')!.attributes).toEqual({
      pipeline: 'orders-to-delta',
      health: 'warning',
    });
    expect(values.find(v => v.metric === 'info')!.attributes).toEqual({
      pipeline: 'orders-to-delta',
      namespace: 'default',
      owner: 'group:default/team-growth',
      system: 'analytics',
    });
  });
});

describe('pipelineMetricValues of a pipeline with environments', () => {
  it("labels its series with the environment it is evaluated in, as that environment's alert rules select them", () => {
    const withEnvironments = entry('orders-to-delta', {
      lag: { messages: 7, seconds: 3 },
    });
    (
      withEnvironments.pipeline.summary as { environment?: string }
    ).environment = 'dev';
    const values = pipelineMetricValues([withEnvironments]);
    expect(
      values.filter(v => v.metric === 'lagMessages').map(v => v.attributes),
    ).toEqual([{ pipeline: 'orders-to-delta', environment: 'dev' }]);
    expect(values.find(v => v.metric === 'info')!.attributes).toMatchObject({
      pipeline: 'orders-to-delta',
      environment: 'dev',
    });
  });
});

describe('PipelineMetrics', () => {
  it('is exported in Prometheus format under the documented names', async () => {
    const endpoint = await exporterEndpoint();
    try {
      const stats = {
        stored: 9,
        duplicates: 0,
        malformed: 2,
        unknown: 1,
      } as IngestionStats;
      const published = new PipelineMetrics(
        endpoint.meter,
        60_000,
        () => stats,
      );
      const pipelineSamples = async () =>
        (await endpoint.scrape())
          .filter(s => s.name.startsWith('streaming_pipeline_'))
          .map(s => [s.name, s.labels.pipeline, s.value]);
      expect(await pipelineSamples()).toEqual([]);

      published.update([
        entry('a', {
          lag: { messages: 7, seconds: null },
          batchAt: '2026-11-23T10:00:00.000Z',
          observed: { inputBytes: 2048, badRecords: 4, deadLetterRecords: 1 },
          processingDelayMs: 850,
          health: 'critical',
        }),
      ]);
      const samples = await endpoint.scrape();
      expect(
        samples
          .filter(s => s.name.startsWith('streaming_pipeline_'))
          .map(s => [s.name, s.labels.pipeline, s.value]),
      ).toEqual([
        ['streaming_pipeline_lag_messages', 'a', 7],
        // The batch's end: its trigger time plus its 0.85 s.
        [
          'streaming_pipeline_last_batch_timestamp_seconds',
          'a',
          Date.parse('2026-11-23T10:00:00.850Z') / 1000,
        ],
        ['streaming_pipeline_batch_duration_seconds', 'a', 0.85],
        ['streaming_pipeline_last_batch_input_bytes', 'a', 2048],
        ['streaming_pipeline_last_batch_bad_records', 'a', 4],
        ['streaming_pipeline_last_batch_dead_letter_records', 'a', 1],
        ['streaming_pipeline_health', 'a', 1],
        ['streaming_pipeline_info', 'a', 1],
      ]);
      expect(
        samples.find(s => s.name === PIPELINE_METRICS.health)!.labels.health,
      ).toBe('critical');
      expect(
        samples
          .filter(s => s.name === PIPELINE_METRICS.skippedProgressRecords)
          .map(s => [s.labels.reason, s.value]),
      ).toEqual([
        ['malformed', 2],
        ['unknown', 1],
      ]);

      // A pipeline that left the catalog is NaN (no comparison matches it).
      published.update([entry('b', { lag: { messages: 3, seconds: 2 } })]);
      expect((await pipelineSamples()).sort()).toEqual([
        ['streaming_pipeline_batch_duration_seconds', 'a', NaN],
        ['streaming_pipeline_health', 'a', NaN],
        ['streaming_pipeline_health', 'b', 1],
        ['streaming_pipeline_info', 'a', NaN],
        ['streaming_pipeline_info', 'b', 1],
        ['streaming_pipeline_lag_messages', 'a', NaN],
        ['streaming_pipeline_lag_messages', 'b', 3],
        ['streaming_pipeline_lag_seconds', 'b', 2],
        ['streaming_pipeline_last_batch_bad_records', 'a', NaN],
        ['streaming_pipeline_last_batch_dead_letter_records', 'a', NaN],
        ['streaming_pipeline_last_batch_input_bytes', 'a', NaN],
        ['streaming_pipeline_last_batch_timestamp_seconds', 'a', NaN],
      ]);

      // A change of health leaves one health series at 1.
      published.update([entry('b', { health: 'stale' })]);
      expect(
        (await endpoint.scrape())
          .filter(s => s.name === PIPELINE_METRICS.health && s.value === 1)
          .map(s => s.labels),
      ).toEqual([expect.objectContaining({ pipeline: 'b', health: 'stale' })]);

      // Readings older than the maximum age are no longer reported.
      jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_001);
      expect(
        (await pipelineSamples()).filter(([, , value]) => !Number.isNaN(value)),
      ).toEqual([]);
    } finally {
      await endpoint.close();
    }
  });

  it('exports every metric the generated dashboards query', async () => {
    const endpoint = await exporterEndpoint();
    try {
      const published = new PipelineMetrics(
        endpoint.meter,
        60_000,
        () =>
          ({
            stored: 1,
            duplicates: 0,
            malformed: 0,
            unknown: 0,
          } as IngestionStats),
      );
      published.update([
        entry('orders', {
          lag: { messages: 1, seconds: 1 },
          batchAt: new Date().toISOString(),
          inputRowsPerSecond: 1,
          processingDelayMs: 1,
          monthlyCost: 1,
        }),
      ]);
      const exported = new Set((await endpoint.scrape()).map(s => s.name));
      const { spec } = parsePipelineSpec(
        pipelineSpecText({ name: 'orders', topic: 'orders', cluster: 'local' }),
      );
      const queried = [pipelineDashboard(spec!), platformDashboard()].flatMap(
        d =>
          (d.panels as Array<{ targets: Array<{ expr: string }> }>).flatMap(p =>
            p.targets.flatMap(t => t.expr.match(/streaming_[a-z_]+/g)!),
          ),
      );
      expect(queried.length).toBeGreaterThan(10);
      expect([...new Set(queried)].filter(m => !exported.has(m))).toEqual([]);
    } finally {
      await endpoint.close();
    }
  });
});
