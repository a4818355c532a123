import { MockDirectory } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_SPARK_APPLICATION,
  PipelineSpec,
  toPipelineSummary,
} from '@internal/plugin-streaming-common';
import { renderPipeline } from '@internal/plugin-streaming-codegen';
import { parse, stringify } from 'yaml';
import { KubernetesApplier } from '../services/KubernetesApplier/KubernetesApplier';
import type { startScaffolderTestBackend } from './startScaffolderTestBackend';

/** The namespaces of a pipeline's environments dev, staging (if any) and prod. */
export interface EnvironmentNamespaces {
  dev: string;
  staging?: string;
  prod: string;
}

/**
 * The pipeline.yaml of a pipeline `name` with environments, in promotion
 * order: dev (topics prefixed `dev.`, tables `dev_`), staging when it has a
 * namespace (tables `staging_`) and prod. It reads `topic` (default `orders`,
 * one field order_id) of Kafka cluster `local` and appends to a Delta table
 * with the checkpoint /checkpoints/<name>, on a driver and an executor of one
 * core and 1g each; `pipeline` replaces any of those keys of `pipeline:` or
 * adds more (such as `dead_letter`), `prod` adds settings of prod.
 */
export function specWithEnvironments(options: {
  name: string;
  namespaces: EnvironmentNamespaces;
  /** Default: user:default/alice. */
  owner?: string;
  topic?: string;
  pipeline?: JsonObject;
  prod?: JsonObject;
}): string {
  const { name, namespaces } = options;
  return stringify({
    pipeline: {
      name,
      owner: options.owner ?? 'user:default/alice',
      source: {
        type: 'kafka',
        cluster: 'local',
        topic: options.topic ?? 'orders',
        format: 'json',
        fields: [{ name: 'order_id', type: 'string' }],
      },
      sink: {
        type: 'delta',
        path: '/data/delta/orders',
        mode: 'append',
        checkpoint: `/checkpoints/${name}`,
      },
      resources: {
        driver: { cores: 1, memory: '1g' },
        executor: { cores: 1, memory: '1g', instances: 1 },
      },
      ...options.pipeline,
      environments: [
        {
          name: 'dev',
          namespace: namespaces.dev,
          topic_prefix: 'dev.',
          table_prefix: 'dev_',
        },
        ...(namespaces.staging
          ? [
              {
                name: 'staging',
                namespace: namespaces.staging,
                table_prefix: 'staging_',
              },
            ]
          : []),
        { name: 'prod', namespace: namespaces.prod, ...options.prod },
      ],
    },
  });
}

/**
 * A streaming-pipeline Component `name` in the default namespace with these
 * annotations, owned by alice unless told.
 */
export function pipelineEntity(
  name: string,
  annotations: Record<string, string>,
  owner = 'user:default/alice',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'streaming-pipeline', lifecycle: 'production', owner },
  };
}

/**
 * The annotations the generator writes for a pipeline with environments:
 * Kubernetes `cluster`, the first environment's SparkApplication, and the
 * summary with every environment's facts.
 */
export function firstEnvironmentAnnotations(
  spec: PipelineSpec,
  cluster: string,
): Record<string, string> {
  const { name, environments } = spec.pipeline;
  return {
    [ANNOTATION_KUBERNETES_CLUSTER]: cluster,
    [ANNOTATION_SPARK_APPLICATION]: `${environments![0].namespace}/${name}`,
    [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify(toPipelineSummary(spec)),
  };
}

/**
 * Applies to Kubernetes `cluster` each file of deploy/<environment>/ that
 * the generator renders for the spec and `files` matches (its path), for
 * `entityRef`, as Create and Promote apply them.
 */
export async function applyEnvironments(
  applier: KubernetesApplier,
  spec: PipelineSpec,
  options: { cluster: string; entityRef: string; files: RegExp },
) {
  for (const file of renderPipeline(spec, {
    kubernetesCluster: options.cluster,
    includeSpec: false,
  })) {
    if (options.files.test(file.path)) {
      await applier.apply(options.cluster, parse(file.content), {
        dryRun: false,
        fieldManager: 'backstage-streaming',
        entityRef: options.entityRef,
      });
    }
  }
}

/**
 * Writes the catalog-info.yaml of a pipeline `name` owned by the test
 * backend's caller, with these annotations, into `dir` (with more `files`
 * beside it) and registers it in the test backend's catalog.
 */
export async function registerPipeline(
  backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>,
  dir: MockDirectory,
  name: string,
  annotations: Record<string, string>,
  files: Record<string, string> = {},
) {
  dir.setContent({
    ...files,
    'catalog-info.yaml': stringify(
      pipelineEntity(name, annotations, 'user:default/mock'),
    ),
  });
  await backend.registerComponent(dir.resolve('catalog-info.yaml'), name);
}
