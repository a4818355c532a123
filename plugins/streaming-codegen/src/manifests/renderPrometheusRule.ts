import {
  DEFAULT_ALERT_ON_LAG_MESSAGES,
  PIPELINE_METRICS,
  PipelineSpec,
  parseDuration,
} from '@internal/plugin-streaming-common';
import { ResolvedRenderOptions } from '../RenderOptions';
import type { DeployEnvironment } from './deployEnvironments';
import { pipelineLabels } from './labels';

/** A PromQL string literal. */
function promString(value: string): string {
  return JSON.stringify(value);
}

const alertName = (name: string, suffix: string) =>
  `${name
    .split('-')
    .map(p => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')}${suffix}`;

/**
 * The pipeline's `PrometheusRule`: lag in messages and seconds (warning at
 * half the threshold, critical above it, as on the pipeline page) and no
 * micro-batches for too long. In an environment, `spec` and `options` are
 * the environment's: its thresholds and namespace; the rules select the
 * series the backend exports for that environment (labels `pipeline` and
 * `environment`) and their alerts carry an `environment` label.
 *
 * @public
 */
export function prometheusRule(
  spec: PipelineSpec,
  options: ResolvedRenderOptions,
  environment?: Pick<DeployEnvironment, 'name' | 'queryName'>,
): Record<string, unknown> {
  const { pipeline } = spec;
  const monitoring = pipeline.monitoring;
  const queryName = environment?.queryName ?? pipeline.name;
  const selector = environment
    ? `{pipeline=${promString(pipeline.name)},environment=${promString(
        environment.name,
      )}}`
    : `{pipeline=${promString(pipeline.name)}}`;
  const where = environment ? ` in ${environment.name}` : '';
  const runbook = (section: string) =>
    options.techdocsBaseUrl
      ? {
          runbook_url: `${options.techdocsBaseUrl.replace(
            /\/+$/,
            '',
          )}/runbook/#${section}`,
        }
      : {};
  const labels = (severity: string) => ({
    severity,
    pipeline: pipeline.name,
    ...(environment ? { environment: environment.name } : {}),
    ...(monitoring?.alert_channel ? { channel: monitoring.alert_channel } : {}),
  });
  const thresholds: Array<{
    suffix: string;
    metric: string;
    threshold: number;
    unit: string;
  }> = [
    {
      suffix: 'LagMessages',
      metric: PIPELINE_METRICS.lagMessages,
      threshold:
        monitoring?.alert_on_lag_messages ?? DEFAULT_ALERT_ON_LAG_MESSAGES,
      unit: 'messages',
    },
  ];
  if (monitoring?.alert_on_lag !== undefined) {
    thresholds.push({
      suffix: 'LagSeconds',
      metric: PIPELINE_METRICS.lagSeconds,
      threshold: monitoring.alert_on_lag,
      unit: 'seconds',
    });
  }
  const rules: Array<Record<string, unknown>> = [];
  for (const t of thresholds) {
    for (const [severity, value] of [
      ['warning', t.threshold / 2],
      ['critical', t.threshold],
    ] as const) {
      rules.push({
        alert: alertName(pipeline.name, t.suffix),
        expr: `max(${t.metric}${selector}) > ${value}`,
        for: '5m',
        labels: labels(severity),
        annotations: {
          summary: `Consumer lag of ${pipeline.name}${where} above ${value} ${t.unit}`,
          description: `The pipeline has been more than ${value} ${t.unit} behind its source for 5 minutes (threshold ${t.threshold}).`,
          ...runbook('lag'),
        },
      });
    }
  }
  const triggerSeconds =
    pipeline.trigger && pipeline.trigger !== 'available_now'
      ? parseDuration(pipeline.trigger)!.ms / 1000
      : 0;
  const staleSeconds = Math.max(300, Math.ceil(triggerSeconds * 10));
  rules.push({
    alert: alertName(pipeline.name, 'Stale'),
    expr: `time() - max(${PIPELINE_METRICS.lastBatchTimestamp}${selector}) > ${staleSeconds}`,
    for: '5m',
    labels: labels('critical'),
    annotations: {
      summary: `No micro-batch of ${pipeline.name}${where} for ${staleSeconds} seconds`,
      description:
        'The query has not reported progress: it may be stopped, failing or stuck.',
      ...runbook('stale'),
    },
  });
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: `${pipeline.name}-alerts`,
      namespace: options.namespace,
      labels: pipelineLabels(spec, 'alerts', environment?.name),
    },
    spec: {
      groups: [{ name: `streaming-pipeline-${queryName}`, rules }],
    },
  };
}
