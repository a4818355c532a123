import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_SPARK_APPLICATION,
  PipelineEnvironmentSummary,
} from '@internal/plugin-streaming-common';
import { PipelineEntity } from '@internal/plugin-streaming-node';

/**
 * The SparkApplication an entity's annotations name: `spark-application`
 * (`namespace/name` or `name`) on the `kubernetes-cluster` cluster.
 */
export function annotatedSparkApplication(
  entity: Entity,
): PipelineEntity['sparkApplication'] {
  const annotations = entity.metadata.annotations ?? {};
  const spark = annotations[ANNOTATION_SPARK_APPLICATION]?.trim();
  if (!spark) {
    return undefined;
  }
  const [first, second] = spark.split('/', 2);
  return {
    cluster: annotations[ANNOTATION_KUBERNETES_CLUSTER],
    namespace: second ? first : undefined,
    name: second ?? first,
  };
}

/**
 * Where the SparkApplication of one environment is: the environment's
 * namespace, on its Kubernetes cluster, else on the pipeline's (its
 * `kubernetes-cluster` annotation). Every environment runs the application
 * of the same name, each in its own place.
 */
export function sparkApplicationInEnvironment(
  own: PipelineEntity['sparkApplication'],
  pipelineName: string,
  environment: Pick<
    PipelineEnvironmentSummary,
    'namespace' | 'kubernetesCluster'
  >,
): PipelineEntity['sparkApplication'] {
  const cluster = environment.kubernetesCluster ?? own?.cluster;
  return {
    name: own?.name ?? pipelineName,
    ...(cluster ? { cluster } : {}),
    namespace: environment.namespace,
  };
}

/**
 * The pipeline as it runs in one of its environments, for the services that
 * read one pipeline (status, lag, cost): the environment's summary (its
 * topics, thresholds, resources and its progress key `<pipeline>@<env>`),
 * its SparkApplication's place and its Kafka cluster. The consumer groups of
 * the entity's annotation belong to the environment its top-level facts
 * describe, the first.
 */
export function pipelineInEnvironment(
  pipeline: PipelineEntity,
  environment: PipelineEnvironmentSummary,
): PipelineEntity {
  const first = pipeline.summary.environments?.[0]?.name === environment.name;
  const { summary } = environment;
  return {
    ...pipeline,
    revision: `${pipeline.revision}@${environment.name}`,
    summary,
    kafkaCluster:
      summary.source.cluster ??
      pipeline.entity.metadata.annotations?.[ANNOTATION_KAFKA_CLUSTER],
    consumerGroups: first ? pipeline.consumerGroups : [],
    sparkApplication: sparkApplicationInEnvironment(
      annotatedSparkApplication(pipeline.entity),
      pipeline.summary.name,
      environment,
    ),
  };
}
