import {
  PipelineStatusResponse,
  PipelineSummary,
  SourceError,
} from '@internal/plugin-streaming-common';

/**
 * A `SparkApplication` as the status and cost need it.
 *
 * @public
 */
export type SparkApplicationInfo = NonNullable<
  PipelineStatusResponse['application']
> & {
  /** Driver and executor resources from the application's spec. */
  resources?: PipelineSummary['resources'];
  /** `metadata.creationTimestamp`. */
  createdAt?: string;
  /** `spec.image`: the job image, so the version, running there. */
  image?: string;
};

/**
 * Where a pipeline's `SparkApplication` is: cluster and namespace default to
 * the configured ones.
 *
 * @public
 */
export interface SparkApplicationTarget {
  cluster?: string;
  namespace?: string;
  name: string;
  /**
   * The pipeline entity asking; an application is reported only when its
   * `streaming-platform.dev/owner-entity` annotation names this entity.
   */
  entityRef: string;
}

/**
 * Reads the state of Spark applications. Swappable through the plugin's
 * extension point.
 *
 * @public
 */
export interface StatusSource {
  /** Whether any cluster is configured; without one, status comes from progress. */
  readonly enabled: boolean;
  getApplication(target: SparkApplicationTarget): Promise<{
    application?: SparkApplicationInfo;
    errors: SourceError[];
  }>;
  /**
   * Drops any cached answer for `target`: called after a pause, resume or
   * restart changed the application, so the next status shows the change.
   */
  forget?(target: SparkApplicationTarget): void;
}
