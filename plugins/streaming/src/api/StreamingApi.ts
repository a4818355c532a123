import { createApiRef } from '@backstage/frontend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  DeltaTableDetailsResponse,
  PipelineCostResponse,
  PipelineLagResponse,
  PipelineMetricsResponse,
  PipelineStatusResponse,
  StreamingOverviewResponse,
  TopicDetailsResponse,
} from '@internal/plugin-streaming-common';

/**
 * The window of micro-batch history to fetch, ending now.
 *
 * @public
 */
export interface MetricsRange {
  /** Length of the window in minutes. */
  minutes: number;
}

/**
 * Reads the `streaming` backend's HTTP API.
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
  getTopicDetails(entity: CompoundEntityRef): Promise<TopicDetailsResponse>;
  getDeltaTableDetails(
    entity: CompoundEntityRef,
  ): Promise<DeltaTableDetailsResponse>;
  getOverview(): Promise<StreamingOverviewResponse>;
}

/**
 * The {@link StreamingApi}.
 *
 * @public
 */
export const streamingApiRef = createApiRef<StreamingApi>({
  id: 'plugin.streaming.api',
});
