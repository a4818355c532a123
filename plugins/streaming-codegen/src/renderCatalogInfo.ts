import { KUBERNETES_ANNOTATION } from '@backstage/plugin-kubernetes-common';
import { TECHDOCS_ANNOTATION } from '@backstage/plugin-techdocs-common';
import {
  ANNOTATION_ELASTICSEARCH_CLUSTER,
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_PIPELINE_SPEC,
  ANNOTATION_SPARK_APPLICATION,
  ENTITY_TYPE_PIPELINE,
  PipelineSpec,
} from '@internal/plugin-streaming-common';
import { ResolvedRenderOptions } from './RenderOptions';

function defaultTags(spec: PipelineSpec): string[] {
  const { source, sink } = spec.pipeline;
  const tags = new Set(['spark']);
  for (const part of [source.type, sink.type]) {
    tags.add(part === 'debezium' ? 'cdc' : part);
  }
  if (source.type === 'debezium') {
    tags.add('kafka');
  }
  return [...tags].sort();
}

/**
 * The pipeline's catalog entity: a `streaming-pipeline` Component with the
 * annotations the catalog module and the plugins read.
 *
 * @public
 */
export function catalogInfo(
  spec: PipelineSpec,
  options: ResolvedRenderOptions,
): Record<string, unknown> {
  const { pipeline } = spec;
  const cluster =
    pipeline.source.type !== 'delta' ? pipeline.source.cluster : undefined;
  const annotations: Record<string, string> = {
    [ANNOTATION_PIPELINE_SPEC]: './pipeline.yaml',
    [TECHDOCS_ANNOTATION]: 'dir:.',
    [KUBERNETES_ANNOTATION]: pipeline.name,
    [ANNOTATION_SPARK_APPLICATION]: `${options.namespace}/${pipeline.name}`,
  };
  if (cluster) {
    annotations[ANNOTATION_KAFKA_CLUSTER] = cluster;
  }
  if (pipeline.sink.type === 'elasticsearch' && pipeline.sink.cluster) {
    annotations[ANNOTATION_ELASTICSEARCH_CLUSTER] = pipeline.sink.cluster;
  }
  if (options.kubernetesCluster) {
    annotations[ANNOTATION_KUBERNETES_CLUSTER] = options.kubernetesCluster;
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: pipeline.name,
      ...(pipeline.title ? { title: pipeline.title } : {}),
      ...(pipeline.description ? { description: pipeline.description } : {}),
      annotations,
      tags: pipeline.tags ?? defaultTags(spec),
    },
    spec: {
      type: ENTITY_TYPE_PIPELINE,
      lifecycle: pipeline.lifecycle ?? 'production',
      owner: pipeline.owner ?? 'unknown',
      ...(pipeline.system ? { system: pipeline.system } : {}),
    },
  };
}
