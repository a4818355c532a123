import {
  BatchObservableCallback,
  Meter,
  Observable,
  ObservableGauge,
} from '@opentelemetry/api';
import { PIPELINE_METRICS } from '@internal/plugin-streaming-codegen';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { PipelineState } from '../Status/StatusService';
import { PipelineMetrics } from './PipelineMetrics';
import { pipelineMetricValues } from './pipelineMetricValues';

function item(
  name: string,
  lag: { known: boolean; totalMessages: number; maxLagSeconds: number | null },
  batchAt?: string,
) {
  return {
    pipeline: { summary: { name } } as PipelineEntity,
    state: {
      lag: { ...lag, errors: [] },
      latestBatch: batchAt ? { timestamp: batchAt } : null,
    } as unknown as PipelineState,
  };
}

/** The parts of a Meter the gauges use, recording what a collection observes. */
class RecordingMeter {
  readonly gauges = new Map<Observable, string>();
  private callback?: BatchObservableCallback;

  createObservableGauge(name: string): ObservableGauge {
    const gauge = {} as ObservableGauge;
    this.gauges.set(gauge, name);
    return gauge;
  }

  addBatchObservableCallback(callback: BatchObservableCallback) {
    this.callback = callback;
  }

  async collect() {
    const seen: Array<{ name: string; value: number; pipeline: unknown }> = [];
    await this.callback!({
      observe: (gauge, value, attributes) =>
        seen.push({
          name: this.gauges.get(gauge)!,
          value,
          pipeline: attributes?.pipeline,
        }),
    });
    return seen;
  }
}

describe('pipelineMetricValues', () => {
  it('reads lag and newest batch, leaving unknown figures out', () => {
    expect(
      pipelineMetricValues([
        item(
          'orders-to-delta',
          { known: true, totalMessages: 1200, maxLagSeconds: 42.5 },
          '2026-11-23T10:00:00.000Z',
        ),
        item('new-pipeline', {
          known: false,
          totalMessages: 0,
          maxLagSeconds: null,
        }),
      ]),
    ).toEqual([
      { metric: 'lagMessages', pipeline: 'orders-to-delta', value: 1200 },
      { metric: 'lagSeconds', pipeline: 'orders-to-delta', value: 42.5 },
      {
        metric: 'lastBatchTimestamp',
        pipeline: 'orders-to-delta',
        value: Date.parse('2026-11-23T10:00:00.000Z') / 1000,
      },
    ]);
  });
});

describe('PipelineMetrics', () => {
  it('publishes the gauges the generated PrometheusRule alerts on', async () => {
    const meter = new RecordingMeter();
    const published = new PipelineMetrics(meter as unknown as Meter);
    expect([...meter.gauges.values()].sort()).toEqual(
      Object.values(PIPELINE_METRICS).sort(),
    );
    expect(await meter.collect()).toEqual([]);

    published.update([
      item('a', { known: true, totalMessages: 7, maxLagSeconds: null }),
    ]);
    expect(await meter.collect()).toEqual([
      { name: 'streaming_pipeline_lag_messages', value: 7, pipeline: 'a' },
    ]);

    published.update([
      item('b', { known: true, totalMessages: 3, maxLagSeconds: 2 }),
    ]);
    expect(await meter.collect()).toEqual([
      { name: 'streaming_pipeline_lag_messages', value: 3, pipeline: 'b' },
      { name: 'streaming_pipeline_lag_seconds', value: 2, pipeline: 'b' },
    ]);
  });
});
