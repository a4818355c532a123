/**
 * Types of the `streaming` backend's HTTP API. The response models are
 * generated from the backend's `openapi.yaml` (`yarn openapi:generate`) into
 * `src/schema/openapi/generated` and re-exported from the package; this file
 * holds what the document cannot say: the catalog summary a pipeline entity
 * carries, and the enumerations as values for forms and validation.
 * Times are ISO-8601 strings; Kafka offsets are decimal strings (they exceed
 * 2^53 in principle).
 */

import {
  GetOverview,
  PipelineHealth,
  Resources,
} from '../schema/openapi/generated';

/**
 * Every {@link PipelineHealth}.
 *
 * @public
 */
export const PIPELINE_HEALTHS = [
  'ok',
  'warning',
  'critical',
  'stale',
  'unknown',
] as const satisfies readonly PipelineHealth[];

/**
 * What the facts of a pipeline summary, written by the catalog processor into
 * the pipeline entity (annotation `pipeline-summary`), say about it.
 *
 * @public
 */
export interface PipelineSummary {
  /** `pipeline.name` of the spec. */
  name: string;
  /** The Spark query name, also the key of its progress events. */
  queryName: string;
  source: {
    type: 'kafka' | 'debezium' | 'delta';
    /** Kafka cluster name (app-config), for Kafka and Debezium sources. */
    cluster?: string;
    /** Physical topic names read. */
    topics: string[];
    /** Delta path, for Delta sources. */
    path?: string;
    /**
     * The schema registry subject the spec names as the source's schema
     * (`source.schema: { registry, subject }`), by the registry's name in
     * app-config; absent when the schema is a file or fields.
     */
    schemaSubject?: { registry: string; subject: string };
  };
  sink: {
    type: 'delta' | 'elasticsearch' | 'kafka';
    mode?: string;
    path?: string;
    topic?: string;
    index?: string;
    cluster?: string;
  };
  /**
   * `pipeline.dead_letter`: where records that do not parse go, a topic on
   * the source's cluster or a Delta table; absent without one.
   */
  deadLetter?: {
    type: 'kafka' | 'delta';
    topic?: string;
    path?: string;
  };
  checkpoint: string;
  thresholds: {
    /** `monitoring.alert_on_lag`, seconds. */
    lagSeconds?: number;
    /** `monitoring.alert_on_lag_messages` (default 10,000). */
    lagMessages: number;
    channel?: string;
  };
  resources: Resources;
  trigger?: string;
  /**
   * The environment this summary describes (`pipeline.environments[].name`);
   * absent when the spec declares none. With environments, the summary's own
   * facts are its first environment's, where Create deploys.
   */
  environment?: string;
  /** Each environment of the spec, in promotion order; absent without. */
  environments?: PipelineEnvironmentSummary[];
}

/**
 * Where one environment of a pipeline runs, and the facts of the pipeline
 * there (its topics, tables, checkpoint, thresholds and resources, with the
 * environment's overrides applied).
 *
 * @public
 */
export interface PipelineEnvironmentSummary {
  name: string;
  /** Kubernetes namespace of its SparkApplication. */
  namespace: string;
  /** Kubernetes cluster (app-config name); absent: the pipeline's. */
  kubernetesCluster?: string;
  /** The facts there; `queryName` is `<pipeline>@<environment>`. */
  summary: PipelineSummary;
}

/**
 * The page, order and filters of `GET /overview`. Totals and `byHealth`
 * always cover every pipeline the caller may read; the filters choose the
 * rows of `pipelines` and `page.total`.
 *
 * @public
 */
export type StreamingOverviewQuery = GetOverview['query'];

/**
 * A column `GET /overview` sorts its pipelines by.
 *
 * @public
 */
export type OverviewSortKey = NonNullable<StreamingOverviewQuery['sort']>;

/**
 * Columns `GET /overview` sorts its pipelines by.
 *
 * @public
 */
export const OVERVIEW_SORT_KEYS = [
  'name',
  'title',
  'health',
  'throughput',
  'latency',
  'lag',
  'executors',
  'cost',
  'owner',
] as const satisfies readonly OverviewSortKey[];
