import { PipelineSpec } from '@internal/plugin-streaming-common';

/**
 * Deployment facts that are not part of a pipeline spec.
 *
 * @public
 */
export interface RenderOptions {
  /** Container image of the job; default `streaming-pipelines/<name>:latest`. */
  image?: string;
  /** Kubernetes namespace of the SparkApplication; default `streaming`. */
  namespace?: string;
  /** Spark version of the image; default `4.0.0`. */
  sparkVersion?: string;
  /** Kubernetes service account of the driver; default `spark`. */
  serviceAccount?: string;
  /** Kubernetes cluster (name in app-config) the pipeline runs on. */
  kubernetesCluster?: string;
  /** Progress topic default of the job; default `streaming.progress`. */
  progressTopic?: string;
  /** Base URL of the pipeline's TechDocs, for `runbook_url` in alerts. */
  techdocsBaseUrl?: string;
  /**
   * Whether to write `pipeline.yaml` (default true). With `specText`, that
   * text is written as is (comments kept); otherwise the spec is serialized.
   */
  includeSpec?: boolean;
  specText?: string;
}

/** The options with defaults applied. */
export interface ResolvedRenderOptions {
  image: string;
  namespace: string;
  sparkVersion: string;
  serviceAccount: string;
  kubernetesCluster?: string;
  progressTopic?: string;
  techdocsBaseUrl?: string;
  includeSpec: boolean;
  specText?: string;
}

export const DEFAULT_NAMESPACE = 'streaming';
export const DEFAULT_SPARK_VERSION = '4.0.0';
export const DELTA_VERSION = '4.0.0';

/** Applies the defaults to render options. */
export function resolveOptions(
  spec: PipelineSpec,
  options: RenderOptions,
): ResolvedRenderOptions {
  return {
    ...options,
    image: options.image ?? `streaming-pipelines/${spec.pipeline.name}:latest`,
    namespace: options.namespace ?? DEFAULT_NAMESPACE,
    sparkVersion: options.sparkVersion ?? DEFAULT_SPARK_VERSION,
    serviceAccount: options.serviceAccount ?? 'spark',
    includeSpec: options.includeSpec ?? true,
  };
}
