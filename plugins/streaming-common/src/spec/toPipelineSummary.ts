import { PipelineSummary } from '../api/types';
import {
  environmentQueryName,
  pipelineEnvironments,
  resolveEnvironment,
} from './environments';
import { parseMemoryGb } from './parseMemory';
import { PipelineSpec } from './pipelineSpecSchema';

/**
 * Resources a pipeline gets when its spec does not say.
 *
 * @public
 */
export const DEFAULT_RESOURCES = {
  driver: { cores: 1, memory: '2g' },
  executor: { cores: 2, memory: '4g', instances: 2 },
} as const;

/**
 * Lag alert in messages when the spec does not set one.
 *
 * @public
 */
export const DEFAULT_ALERT_ON_LAG_MESSAGES = 10_000;

/**
 * The resources of a pipeline with defaults filled in.
 *
 * @public
 */
export function resolveResources(spec: PipelineSpec) {
  const { driver, executor } = spec.pipeline.resources ?? {};
  return {
    driver: {
      cores: driver?.cores ?? DEFAULT_RESOURCES.driver.cores,
      memory: driver?.memory ?? DEFAULT_RESOURCES.driver.memory,
    },
    executor: {
      cores: executor?.cores ?? DEFAULT_RESOURCES.executor.cores,
      memory: executor?.memory ?? DEFAULT_RESOURCES.executor.memory,
      instances: executor?.instances ?? DEFAULT_RESOURCES.executor.instances,
      min_instances: executor?.min_instances,
      max_instances: executor?.max_instances,
    },
  };
}

function summarizeSink(spec: PipelineSpec): PipelineSummary['sink'] {
  const { source, sink } = spec.pipeline;
  switch (sink.type) {
    case 'delta':
      return { type: 'delta', mode: sink.mode, path: sink.path };
    case 'elasticsearch':
      return { type: 'elasticsearch', index: sink.index };
    default: {
      const cluster =
        sink.cluster ?? (source.type !== 'delta' ? source.cluster : undefined);
      return {
        type: 'kafka',
        topic: sink.topic,
        ...(cluster ? { cluster } : {}),
      };
    }
  }
}

/**
 * The facts of a pipeline that the catalog, backend and frontend use,
 * with every default applied. With environments, the facts are the first
 * environment's, and `environments` holds each one's.
 *
 * @public
 */
export function toPipelineSummary(spec: PipelineSpec): PipelineSummary {
  const environments = pipelineEnvironments(spec).map(env => ({
    name: env.name,
    namespace: env.namespace,
    ...(env.kubernetes_cluster
      ? { kubernetesCluster: env.kubernetes_cluster }
      : {}),
    summary: {
      ...summarize(resolveEnvironment(spec, env.name)),
      queryName: environmentQueryName(spec.pipeline.name, env.name),
      environment: env.name,
    },
  }));
  if (environments.length === 0) {
    return summarize(spec);
  }
  return { ...environments[0].summary, environments };
}

function summarize(spec: PipelineSpec): PipelineSummary {
  const { pipeline } = spec;
  const { source, sink } = pipeline;
  const resources = resolveResources(spec);
  const summary: PipelineSummary = {
    name: pipeline.name,
    queryName: pipeline.name,
    source:
      source.type === 'delta'
        ? { type: 'delta', topics: [], path: source.path }
        : {
            type: source.type,
            topics: [source.topic],
            ...(source.cluster ? { cluster: source.cluster } : {}),
            ...(source.type === 'kafka' && typeof source.schema === 'object'
              ? {
                  schemaSubject: {
                    registry: source.schema.registry,
                    subject: source.schema.subject,
                  },
                }
              : {}),
          },
    sink: summarizeSink(spec),
    checkpoint: sink.checkpoint,
    thresholds: {
      ...(pipeline.monitoring?.alert_on_lag !== undefined
        ? { lagSeconds: pipeline.monitoring.alert_on_lag }
        : {}),
      lagMessages:
        pipeline.monitoring?.alert_on_lag_messages ??
        DEFAULT_ALERT_ON_LAG_MESSAGES,
      ...(pipeline.monitoring?.alert_channel
        ? { channel: pipeline.monitoring.alert_channel }
        : {}),
    },
    resources: {
      driver: {
        cores: resources.driver.cores,
        memoryGb: parseMemoryGb(resources.driver.memory)!,
      },
      executor: {
        cores: resources.executor.cores,
        memoryGb: parseMemoryGb(resources.executor.memory)!,
        instances: resources.executor.instances,
        ...(resources.executor.min_instances !== undefined
          ? { minInstances: resources.executor.min_instances }
          : {}),
        ...(resources.executor.max_instances !== undefined
          ? { maxInstances: resources.executor.max_instances }
          : {}),
      },
    },
  };
  if (pipeline.trigger) {
    summary.trigger = pipeline.trigger;
  }
  if (pipeline.dead_letter) {
    summary.deadLetter = { ...pipeline.dead_letter };
  }
  return summary;
}
