import {
  ANNOTATION_OWNER_ENTITY,
  PipelineSpec,
  normalizeMemory,
  resolveResources,
} from '@internal/plugin-streaming-common';
import { usesDelta } from '../job/renderJob';
import { ResolvedRenderOptions } from '../RenderOptions';
import type { DeployEnvironment, EnvVar } from './deployEnvironments';
import { pipelineLabels } from './labels';

/** Where the image keeps the repository's job and schemas. */
export const IMAGE_APP_DIR = '/opt/pipeline';

/**
 * Environment of the driver and executors: bootstrap servers (and a named
 * search cluster's node URLs) from the cluster's ConfigMap, credentials from
 * optional Secrets (never values in the manifest), the progress topic.
 */
export function podEnvironment(
  spec: PipelineSpec,
  options: ResolvedRenderOptions,
) {
  const { source, sink } = spec.pipeline;
  const cluster =
    (source.type !== 'delta' ? source.cluster : undefined) ?? 'default';
  const env: EnvVar[] = [
    {
      name: 'KAFKA_BOOTSTRAP_SERVERS',
      valueFrom: {
        configMapKeyRef: {
          name: `kafka-${cluster}`,
          key: 'bootstrap.servers',
        },
      },
    },
  ];
  if (options.progressTopic) {
    env.push({
      name: 'STREAMING_PROGRESS_TOPIC',
      value: options.progressTopic,
    });
  }
  if (sink.type === 'kafka' && sink.cluster && sink.cluster !== cluster) {
    env.push({
      name: 'PIPELINE_SINK_BOOTSTRAP_SERVERS',
      valueFrom: {
        configMapKeyRef: {
          name: `kafka-${sink.cluster}`,
          key: 'bootstrap.servers',
        },
      },
    });
  }
  const envFrom: Array<Record<string, unknown>> = [
    { secretRef: { name: `kafka-${cluster}-credentials`, optional: true } },
  ];
  if (sink.type === 'elasticsearch' && sink.cluster) {
    // A named search cluster: its node URLs from its ConfigMap, credentials
    // from its Secret, as for a Kafka cluster.
    env.push({
      name: 'ELASTICSEARCH_NODES',
      valueFrom: {
        configMapKeyRef: {
          name: `elasticsearch-${sink.cluster}`,
          key: 'nodes',
        },
      },
    });
    envFrom.push({
      secretRef: {
        name: `elasticsearch-${sink.cluster}-credentials`,
        optional: true,
      },
    });
  } else if (sink.type === 'elasticsearch') {
    envFrom.push({
      secretRef: { name: 'elasticsearch-credentials', optional: true },
    });
  }
  if ('schema' in source && typeof source.schema === 'object') {
    // Writer schemas are fetched by the executors too: the registry's URL
    // from its ConfigMap, SCHEMA_REGISTRY_USERNAME/PASSWORD from a Secret.
    const registry = source.schema.registry;
    env.push({
      name: 'PIPELINE_SCHEMA_REGISTRY_URL',
      valueFrom: {
        configMapKeyRef: { name: `schema-registry-${registry}`, key: 'url' },
      },
    });
    envFrom.push({
      secretRef: {
        name: `schema-registry-${registry}-credentials`,
        optional: true,
      },
    });
  }
  return { env, envFrom };
}

/** The Spark configuration that exposes metrics and fits the pipeline. */
export function sparkConfForKubernetes(
  spec: PipelineSpec,
): Record<string, string> {
  const conf: Record<string, string> = {
    'spark.sql.session.timeZone': 'UTC',
    'spark.sql.streaming.metricsEnabled': 'true',
    'spark.metrics.namespace': spec.pipeline.name,
    'spark.ui.prometheus.enabled': 'true',
    'spark.metrics.conf.*.sink.prometheusServlet.class':
      'org.apache.spark.metrics.sink.PrometheusServlet',
    'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/prometheus',
    'spark.kubernetes.driver.service.deleteOnTermination': 'true',
  };
  if (usesDelta(spec)) {
    conf['spark.sql.extensions'] = 'io.delta.sql.DeltaSparkSessionExtension';
    conf['spark.sql.catalog.spark_catalog'] =
      'org.apache.spark.sql.delta.catalog.DeltaCatalog';
  }
  return conf;
}

/**
 * The pipeline's `SparkApplication` (`sparkoperator.k8s.io/v1beta2`). In an
 * environment, `spec` and `options` are the environment's (see
 * deployEnvironments) and its pods get its variables too.
 *
 * @public
 */
export function sparkApplication(
  spec: PipelineSpec,
  options: ResolvedRenderOptions,
  environment?: Pick<DeployEnvironment, 'name' | 'env'>,
): Record<string, unknown> {
  const { pipeline } = spec;
  const resources = resolveResources(spec);
  const labels = pipelineLabels(spec, undefined, environment?.name);
  const pod = podEnvironment(spec, options);
  const env = [...pod.env, ...(environment?.env ?? [])];
  const { envFrom } = pod;
  const { executor } = resources;
  const dynamic = executor.max_instances !== undefined;
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: {
      name: pipeline.name,
      namespace: options.namespace,
      labels,
      // The catalog entity of catalog-info.yaml: the backend shows this
      // application's status only on that entity's page.
      annotations: {
        [ANNOTATION_OWNER_ENTITY]: `component:default/${pipeline.name}`,
      },
    },
    spec: {
      type: 'Python',
      pythonVersion: '3',
      mode: 'cluster',
      image: options.image,
      imagePullPolicy: 'IfNotPresent',
      mainApplicationFile: `local://${IMAGE_APP_DIR}/job/main.py`,
      sparkVersion: options.sparkVersion,
      restartPolicy: {
        type: 'Always',
        onFailureRetryInterval: 30,
        onSubmissionFailureRetryInterval: 60,
      },
      sparkConf: sparkConfForKubernetes(spec),
      ...(dynamic
        ? {
            dynamicAllocation: {
              enabled: true,
              initialExecutors: executor.instances,
              minExecutors: executor.min_instances ?? executor.instances,
              maxExecutors: executor.max_instances,
              shuffleTrackingEnabled: true,
            },
          }
        : {}),
      driver: {
        cores: resources.driver.cores,
        memory: normalizeMemory(resources.driver.memory),
        serviceAccount: options.serviceAccount,
        labels,
        annotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '4040',
          'prometheus.io/path': '/metrics/prometheus/',
        },
        env,
        envFrom,
        terminationGracePeriodSeconds: 90,
      },
      executor: {
        cores: executor.cores,
        instances: executor.instances,
        memory: normalizeMemory(executor.memory),
        labels,
        env,
        envFrom,
      },
    },
  };
}
