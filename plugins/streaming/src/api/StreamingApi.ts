import { createApiRef } from '@backstage/frontend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  CostRatesResponse,
  DefaultApiClient,
  DeltaTableDetailsResponse,
  PipelineBackfillsResponse,
  PipelineConnectorsResponse,
  PipelineDriftResponse,
  PipelineEnvironmentsResponse,
  PipelineCostResponse,
  PipelineLagResponse,
  PipelineMetricsResponse,
  PipelineOperation,
  PipelineOperationsResponse,
  PipelineSchemasResponse,
  PipelineStatusResponse,
  SearchClusterListResponse,
  SearchIndexDetailsResponse,
  StreamingOverviewQuery,
  StreamingOverviewResponse,
  StreamingTeamsResponse,
  TopicDetailsResponse,
  TopicFieldsResponse,
  TopicListResponse,
} from '@internal/plugin-streaming-common';

/**
 * A window of micro-batch history the backend serves, ending now (the
 * `window` query of `GET /pipelines/{namespace}/{name}/metrics`).
 *
 * @public
 */
export type MetricsWindow = NonNullable<
  Parameters<DefaultApiClient['getPipelineMetrics']>[0]['query']['window']
>;

/**
 * Every {@link MetricsWindow}, shortest first.
 *
 * @public
 */
export const METRICS_WINDOWS = [
  '15m',
  '1h',
  '6h',
  '24h',
  '7d',
] as const satisfies readonly MetricsWindow[];

/**
 * Which micro-batch history to fetch.
 *
 * @public
 */
export interface MetricsRange {
  window: MetricsWindow;
}

/**
 * Reads the `streaming` backend's HTTP API (its `openapi.yaml`); the answers
 * are the models generated from that document.
 *
 * @public
 */
export interface StreamingApi {
  getPipelineMetrics(
    entity: CompoundEntityRef,
    range: MetricsRange,
  ): Promise<PipelineMetricsResponse>;
  getPipelineLag(entity: CompoundEntityRef): Promise<PipelineLagResponse>;
  getPipelineStatus(entity: CompoundEntityRef): Promise<PipelineStatusResponse>;
  getPipelineCost(entity: CompoundEntityRef): Promise<PipelineCostResponse>;
  /**
   * Each environment of the pipeline (`pipeline.environments`) in promotion
   * order, with its health, state, image, lag, cost and last micro-batch.
   */
  getPipelineEnvironments(
    entity: CompoundEntityRef,
  ): Promise<PipelineEnvironmentsResponse>;
  /**
   * Pauses, resumes or restarts the pipeline's SparkApplication (needs
   * `streaming.pipeline.operate`); the recorded operation.
   */
  operatePipeline(
    entity: CompoundEntityRef,
    action: PipelineOperation['action'],
  ): Promise<PipelineOperation>;
  /** The pipeline's operations, newest first. */
  getPipelineOperations(
    entity: CompoundEntityRef,
  ): Promise<PipelineOperationsResponse>;
  /**
   * The pipeline's backfills with their progress in the last 24 hours, the
   * most recently active first.
   */
  getPipelineBackfills(
    entity: CompoundEntityRef,
  ): Promise<PipelineBackfillsResponse>;
  /**
   * The registry subjects of the pipeline's source topics: the version it was
   * built for, the latest and whether it is compatible.
   */
  getPipelineSchemas(
    entity: CompoundEntityRef,
  ): Promise<PipelineSchemasResponse>;
  /**
   * The Kafka Connect source connectors writing the pipeline's source topics,
   * with their state and tasks (needs `streaming.connector.read`).
   */
  getPipelineConnectors(
    entity: CompoundEntityRef,
  ): Promise<PipelineConnectorsResponse>;
  /**
   * The pipeline repository's generated files against what the current
   * generator renders from its pipeline.yaml, and the generator versions.
   */
  getPipelineDrift(entity: CompoundEntityRef): Promise<PipelineDriftResponse>;
  getTopicDetails(entity: CompoundEntityRef): Promise<TopicDetailsResponse>;
  getDeltaTableDetails(
    entity: CompoundEntityRef,
  ): Promise<DeltaTableDetailsResponse>;
  /** Document count, size, shards and health of an `elasticsearch-index` Resource. */
  getSearchIndexDetails(
    entity: CompoundEntityRef,
  ): Promise<SearchIndexDetailsResponse>;
  /** One page of the overview, with the totals of every pipeline. */
  getOverview(
    query?: StreamingOverviewQuery,
  ): Promise<StreamingOverviewResponse>;
  /** The configured cost rates, for estimates of pipelines not created yet. */
  getCostRates(): Promise<CostRatesResponse>;
  /** Cost, lag and health by owner and system, with each team's budget. */
  getTeams(): Promise<StreamingTeamsResponse>;
  /**
   * The topics of a configured Kafka cluster, for the Create form (needs the
   * `streaming.topic.list` permission).
   */
  listTopics(cluster: string): Promise<TopicListResponse>;
  /**
   * Fields proposed for a topic in the Create form: from its registry
   * subject, else from a sample of its JSON messages (needs the scaffolder's
   * `scaffolder.task.create` and `streaming.topic.list`).
   */
  getTopicFields(cluster: string, topic: string): Promise<TopicFieldsResponse>;
  /**
   * The names of the configured search clusters, for the Create form (needs
   * the `streaming.topic.list` permission).
   */
  listSearchClusters(): Promise<SearchClusterListResponse>;
}

/**
 * The {@link StreamingApi}.
 *
 * @public
 */
export const streamingApiRef = createApiRef<StreamingApi>({
  id: 'plugin.streaming.api',
});
