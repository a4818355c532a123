import {
  PipelineDeadLetter,
  PipelineEnvironment,
  PipelineSpec,
  PipelineTransformation,
} from './pipelineSpecSchema';

/**
 * The environments a spec declares, in promotion order; empty when it
 * declares none (the pipeline then runs in one place, as its spec says).
 *
 * @public
 */
export function pipelineEnvironments(
  spec: PipelineSpec,
): PipelineEnvironment[] {
  return spec.pipeline.environments ?? [];
}

/**
 * The environment after `name` in promotion order, or undefined for the last.
 * Throws when the spec does not declare `name`.
 *
 * @public
 */
export function nextEnvironment(
  spec: PipelineSpec,
  name: string,
): PipelineEnvironment | undefined {
  const list = pipelineEnvironments(spec);
  return list[list.indexOf(findEnvironment(spec, name)) + 1];
}

function findEnvironment(spec: PipelineSpec, name: string) {
  const list = pipelineEnvironments(spec);
  const found = list.find(env => env.name === name);
  if (!found) {
    throw new Error(
      list.length === 0
        ? `the pipeline ${spec.pipeline.name} declares no environments`
        : `the pipeline ${
            spec.pipeline.name
          } has no environment ${JSON.stringify(name)}; it declares ${list
            .map(env => env.name)
            .join(', ')}`,
    );
  }
  return found;
}

/**
 * `prefix` put before the last folder of a storage location:
 * `/data/delta/events` with `dev_` is `/data/delta/dev_events`.
 */
export function prefixLastFolder(path: string, prefix: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/') + 1;
  return `${trimmed.slice(0, cut)}${prefix}${trimmed.slice(cut)}`;
}

/**
 * The key of a pipeline's progress events (and its query name in the
 * platform) in one environment: `<pipeline>@<environment>`. A pipeline name
 * never holds `@`, so it never meets another pipeline's key.
 *
 * @public
 */
export function environmentQueryName(
  pipelineName: string,
  environment: string,
): string {
  return `${pipelineName}@${environment}`;
}

/**
 * The spec as it runs in one environment: its overrides applied (clusters,
 * topic and table prefixes, resources, monitoring) and `environments`
 * removed. Throws when the spec does not declare `name`.
 *
 * @public
 */
export function resolveEnvironment(
  spec: PipelineSpec,
  name: string,
): PipelineSpec {
  const env = findEnvironment(spec, name);
  const { environments: _all, ...pipeline } = spec.pipeline;
  const topic = (value: string) => `${env.topic_prefix ?? ''}${value}`;
  const table = (path: string) =>
    env.table_prefix ? prefixLastFolder(path, env.table_prefix) : path;
  const kafkaCluster = (cluster: string | undefined) =>
    env.kafka_cluster ?? cluster;

  const source: PipelineSpec['pipeline']['source'] =
    pipeline.source.type === 'delta'
      ? { ...pipeline.source, path: table(pipeline.source.path) }
      : withCluster(
          { ...pipeline.source, topic: topic(pipeline.source.topic) },
          kafkaCluster(pipeline.source.cluster),
        );

  const transformations = pipeline.transformations.map(
    (step): PipelineTransformation =>
      step.type === 'join'
        ? { ...step, table: { ...step.table, path: table(step.table.path) } }
        : step,
  );

  let sink: PipelineSpec['pipeline']['sink'];
  switch (pipeline.sink.type) {
    case 'delta':
      sink = {
        ...pipeline.sink,
        path: table(pipeline.sink.path),
        checkpoint: table(pipeline.sink.checkpoint),
      };
      break;
    case 'elasticsearch': {
      const { nodes, cluster, ...rest } = pipeline.sink;
      sink = {
        ...rest,
        index: env.table_prefix
          ? `${env.table_prefix}${pipeline.sink.index}`
          : pipeline.sink.index,
        checkpoint: table(pipeline.sink.checkpoint),
        ...(env.search_cluster
          ? { cluster: env.search_cluster }
          : { ...(cluster ? { cluster } : {}), ...(nodes ? { nodes } : {}) }),
      };
      break;
    }
    default:
      sink = withCluster(
        {
          ...pipeline.sink,
          topic: topic(pipeline.sink.topic),
          checkpoint: table(pipeline.sink.checkpoint),
        },
        // A Kafka sink without a cluster writes to the source's, which the
        // environment has already replaced.
        pipeline.sink.cluster ? kafkaCluster(pipeline.sink.cluster) : undefined,
      );
  }

  const deadLetter = pipeline.dead_letter && resolveDeadLetter();
  function resolveDeadLetter(): PipelineDeadLetter {
    const target = pipeline.dead_letter!;
    return target.type === 'kafka'
      ? { ...target, topic: topic(target.topic) }
      : { ...target, path: table(target.path) };
  }

  const resources =
    env.resources || pipeline.resources
      ? {
          ...pipeline.resources,
          ...definedEntries(env.resources ?? {}),
        }
      : undefined;

  const monitoring =
    env.monitoring || pipeline.monitoring
      ? {
          alert_on_lag_messages:
            env.monitoring?.alert_on_lag_messages ??
            pipeline.monitoring?.alert_on_lag_messages ??
            10_000,
          ...definedEntries({
            alert_on_lag:
              env.monitoring?.alert_on_lag ?? pipeline.monitoring?.alert_on_lag,
            alert_channel:
              env.monitoring?.alert_channel ??
              pipeline.monitoring?.alert_channel,
          }),
        }
      : undefined;

  return {
    pipeline: {
      ...pipeline,
      source,
      transformations,
      sink,
      ...(deadLetter ? { dead_letter: deadLetter } : {}),
      ...(resources ? { resources } : {}),
      ...(monitoring ? { monitoring } : {}),
    },
  };
}

function withCluster<T extends { cluster?: string }>(
  value: T,
  cluster: string | undefined,
): T {
  const { cluster: _old, ...rest } = value;
  return (cluster ? { ...rest, cluster } : rest) as T;
}

function definedEntries<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
