import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
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
  TypedResponse,
} from '@internal/plugin-streaming-common';
import { MetricsRange, StreamingApi } from './StreamingApi';

/**
 * The {@link StreamingApi} over HTTP: the client generated from the backend's
 * `openapi.yaml`, through the app's discovery and fetch APIs (so requests
 * carry the user's credentials). An error answer becomes a `ResponseError`
 * with the backend's error.
 *
 * @public
 */
export class StreamingClient implements StreamingApi {
  private readonly client: DefaultApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = new DefaultApiClient(options);
  }

  getPipelineMetrics(
    entity: CompoundEntityRef,
    range: MetricsRange,
  ): Promise<PipelineMetricsResponse> {
    return body(
      this.client.getPipelineMetrics({
        path: refPath(entity),
        query: { window: range.window },
      }),
    );
  }

  getPipelineLag(entity: CompoundEntityRef): Promise<PipelineLagResponse> {
    return body(this.client.getPipelineLag({ path: refPath(entity) }));
  }

  getPipelineStatus(
    entity: CompoundEntityRef,
  ): Promise<PipelineStatusResponse> {
    return body(this.client.getPipelineStatus({ path: refPath(entity) }));
  }

  getPipelineCost(entity: CompoundEntityRef): Promise<PipelineCostResponse> {
    return body(this.client.getPipelineCost({ path: refPath(entity) }));
  }

  getPipelineEnvironments(
    entity: CompoundEntityRef,
  ): Promise<PipelineEnvironmentsResponse> {
    return body(this.client.getPipelineEnvironments({ path: refPath(entity) }));
  }

  operatePipeline(
    entity: CompoundEntityRef,
    action: PipelineOperation['action'],
  ): Promise<PipelineOperation> {
    const request = { path: refPath(entity) };
    const calls = {
      pause: () => this.client.pausePipeline(request),
      resume: () => this.client.resumePipeline(request),
      restart: () => this.client.restartPipeline(request),
    };
    return body(calls[action]());
  }

  getPipelineOperations(
    entity: CompoundEntityRef,
  ): Promise<PipelineOperationsResponse> {
    return body(
      this.client.getPipelineOperations({ path: refPath(entity), query: {} }),
    );
  }

  getPipelineBackfills(
    entity: CompoundEntityRef,
  ): Promise<PipelineBackfillsResponse> {
    return body(
      this.client.getPipelineBackfills({ path: refPath(entity), query: {} }),
    );
  }

  getPipelineSchemas(
    entity: CompoundEntityRef,
  ): Promise<PipelineSchemasResponse> {
    return body(this.client.getPipelineSchemas({ path: refPath(entity) }));
  }

  getPipelineConnectors(
    entity: CompoundEntityRef,
  ): Promise<PipelineConnectorsResponse> {
    return body(this.client.getPipelineConnectors({ path: refPath(entity) }));
  }

  getPipelineDrift(entity: CompoundEntityRef): Promise<PipelineDriftResponse> {
    return body(this.client.getPipelineDrift({ path: refPath(entity) }));
  }

  getTopicDetails(entity: CompoundEntityRef): Promise<TopicDetailsResponse> {
    return body(this.client.getTopic({ path: refPath(entity) }));
  }

  getDeltaTableDetails(
    entity: CompoundEntityRef,
  ): Promise<DeltaTableDetailsResponse> {
    return body(this.client.getDeltaTable({ path: refPath(entity) }));
  }

  getSearchIndexDetails(
    entity: CompoundEntityRef,
  ): Promise<SearchIndexDetailsResponse> {
    return body(this.client.getSearchIndex({ path: refPath(entity) }));
  }

  getOverview(
    query: StreamingOverviewQuery = {},
  ): Promise<StreamingOverviewResponse> {
    // An empty filter (a cleared search field) is no filter.
    const given = Object.fromEntries(
      Object.entries(query).filter(([, v]) => v !== undefined && v !== ''),
    ) as StreamingOverviewQuery;
    return body(this.client.getOverview({ query: given }));
  }

  getCostRates(): Promise<CostRatesResponse> {
    return body(this.client.getCostRates({}));
  }

  getTeams(): Promise<StreamingTeamsResponse> {
    return body(this.client.getTeams({}));
  }

  listTopics(cluster: string): Promise<TopicListResponse> {
    return body(this.client.listTopics({ query: { cluster } }));
  }

  getTopicFields(cluster: string, topic: string): Promise<TopicFieldsResponse> {
    return body(this.client.getTopicFields({ query: { cluster, topic } }));
  }

  listSearchClusters(): Promise<SearchClusterListResponse> {
    return body(this.client.listSearchClusters({}));
  }
}

async function body<T>(answer: Promise<TypedResponse<T>>): Promise<T> {
  const res = await answer;
  if (!res.ok) {
    throw await ResponseError.fromResponse(res);
  }
  return res.json();
}

function refPath(entity: CompoundEntityRef) {
  return { namespace: entity.namespace, name: entity.name };
}
