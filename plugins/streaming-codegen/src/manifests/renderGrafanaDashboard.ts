import {
  DEFAULT_ALERT_ON_LAG_MESSAGES,
  PIPELINE_METRICS as M,
  PipelineSpec,
} from '@internal/plugin-streaming-common';

const HOURS_PER_MONTH = 730;

/** A PromQL string literal. */
const promString = (value: string) => JSON.stringify(value);

/** 32-bit FNV-1a, for short stable dashboard uids. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

interface PanelSpec {
  title: string;
  type: 'timeseries' | 'stat' | 'bargauge';
  unit: string;
  queries: Array<{ expr: string; legend?: string }>;
  threshold?: number;
  description?: string;
}

const datasource = { type: 'prometheus', uid: '$datasource' };

/** Grafana panels on a 24-column grid, two per row (stats: four per row). */
function panels(specs: PanelSpec[]) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map((p, id) => {
    const w = p.type === 'stat' ? 6 : 12;
    const h = p.type === 'stat' ? 4 : 8;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    rowHeight = Math.max(rowHeight, h);
    const panel = {
      id: id + 1,
      type: p.type,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      datasource,
      gridPos: { h, w, x, y },
      fieldConfig: {
        defaults: {
          unit: p.unit,
          ...(p.threshold !== undefined
            ? {
                thresholds: {
                  mode: 'absolute',
                  steps: [
                    { color: 'green', value: null },
                    { color: 'orange', value: p.threshold / 2 },
                    { color: 'red', value: p.threshold },
                  ],
                },
                custom: { thresholdsStyle: { mode: 'line' } },
              }
            : {}),
        },
        overrides: [],
      },
      options: {},
      targets: p.queries.map((q, i) => ({
        refId: String.fromCharCode(65 + i),
        datasource,
        expr: q.expr,
        ...(q.legend ? { legendFormat: q.legend } : {}),
      })),
    };
    x += w;
    return panel;
  });
}

function dashboard(options: {
  uid: string;
  title: string;
  tags: string[];
  description: string;
  panels: PanelSpec[];
}) {
  return {
    uid: options.uid,
    title: options.title,
    description: options.description,
    tags: options.tags,
    editable: true,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
        },
      ],
    },
    panels: panels(options.panels),
  };
}

/**
 * The pipeline's Grafana dashboard (`deploy/grafana-dashboard.json`): lag in
 * messages (with the alert thresholds) and seconds, input rate, batch
 * duration, time since the last batch, health and cost, all from the
 * metrics the streaming backend exports ({@link PIPELINE_METRICS}).
 *
 * @public
 */
export function pipelineDashboard(spec: PipelineSpec): Record<string, unknown> {
  const { pipeline } = spec;
  const sel = `{pipeline=${promString(pipeline.name)}}`;
  const lagMessages =
    pipeline.monitoring?.alert_on_lag_messages ?? DEFAULT_ALERT_ON_LAG_MESSAGES;
  return dashboard({
    uid: `streaming-${fnv1a(pipeline.name)}`,
    title: `Streaming pipeline ${pipeline.name}`,
    description:
      pipeline.description ??
      `Lag, rates, batch duration and cost of ${pipeline.name}.`,
    tags: ['streaming', 'pipeline', pipeline.name],
    panels: [
      {
        title: 'Consumer lag (messages)',
        type: 'timeseries',
        unit: 'short',
        threshold: lagMessages,
        queries: [{ expr: `max(${M.lagMessages}${sel})`, legend: 'lag' }],
      },
      {
        title: 'Consumer lag (seconds)',
        type: 'timeseries',
        unit: 's',
        ...(pipeline.monitoring?.alert_on_lag !== undefined
          ? { threshold: pipeline.monitoring.alert_on_lag }
          : {}),
        queries: [{ expr: `max(${M.lagSeconds}${sel})`, legend: 'lag' }],
      },
      {
        title: 'Input rate',
        type: 'timeseries',
        unit: 'rowsps',
        queries: [
          { expr: `max(${M.inputRowsPerSecond}${sel})`, legend: 'rows/s' },
        ],
      },
      {
        title: 'Batch duration',
        type: 'timeseries',
        unit: 's',
        queries: [
          { expr: `max(${M.batchDurationSeconds}${sel})`, legend: 'duration' },
        ],
      },
      {
        title: 'Time since the last micro-batch',
        type: 'timeseries',
        unit: 's',
        queries: [
          {
            expr: `time() - max(${M.lastBatchTimestamp}${sel})`,
            legend: 'age',
          },
        ],
      },
      {
        title: 'Cost per hour',
        type: 'timeseries',
        unit: 'currencyUSD',
        description:
          'In the currency of the backend (streaming.cost.currency).',
        queries: [{ expr: `max(${M.costPerHour}${sel})`, legend: 'cost' }],
      },
      {
        title: 'Health',
        type: 'stat',
        unit: 'none',
        queries: [
          {
            expr: `max by (health) (${M.health}${sel}) == 1`,
            legend: '{{health}}',
          },
        ],
      },
    ],
  });
}

/**
 * The platform's Grafana dashboard: the figures of the operations overview
 * (active pipelines, throughput, processing delay, lag, cost) and cost, lag
 * and health per team (owner), from the streaming backend's metrics.
 *
 * @public
 */
export function platformDashboard(): Record<string, unknown> {
  const byOwner = (metric: string) =>
    `sum by (owner) (${metric} * on (pipeline) group_left (owner) ${M.info})`;
  return dashboard({
    uid: 'streaming-platform',
    title: 'Streaming platform',
    description:
      'All streaming pipelines: the operations overview and cost per team.',
    tags: ['streaming', 'platform'],
    panels: [
      {
        title: 'Active pipelines',
        type: 'stat',
        unit: 'none',
        queries: [{ expr: `count(${M.inputRowsPerSecond})` }],
      },
      {
        title: 'Total throughput',
        type: 'stat',
        unit: 'rowsps',
        queries: [{ expr: `sum(${M.inputRowsPerSecond})` }],
      },
      {
        title: 'Average processing delay',
        type: 'stat',
        unit: 's',
        queries: [{ expr: `avg(${M.batchDurationSeconds})` }],
      },
      {
        title: 'Total consumer lag',
        type: 'stat',
        unit: 'short',
        queries: [{ expr: `sum(${M.lagMessages})` }],
      },
      {
        title: 'Monthly cost per team',
        type: 'bargauge',
        unit: 'currencyUSD',
        queries: [
          {
            expr: `${byOwner(M.costPerHour)} * ${HOURS_PER_MONTH}`,
            legend: '{{owner}}',
          },
        ],
      },
      {
        title: 'Consumer lag per team',
        type: 'timeseries',
        unit: 'short',
        queries: [{ expr: byOwner(M.lagMessages), legend: '{{owner}}' }],
      },
      {
        title: 'Pipelines by health',
        type: 'timeseries',
        unit: 'none',
        queries: [
          {
            expr: `count by (health) (${M.health} == 1)`,
            legend: '{{health}}',
          },
        ],
      },
      {
        title: 'Unhealthy pipelines per team',
        type: 'timeseries',
        unit: 'none',
        queries: [
          {
            expr: `count by (owner) ((${M.health}{health=~"warning|critical|stale"} == 1) * on (pipeline) group_left (owner) ${M.info})`,
            legend: '{{owner}}',
          },
        ],
      },
      {
        title: 'Progress records skipped',
        type: 'timeseries',
        unit: 'short',
        queries: [
          {
            expr: `sum by (reason) (increase(${M.skippedProgressRecords}[1h]))`,
            legend: '{{reason}}',
          },
        ],
      },
    ],
  });
}
