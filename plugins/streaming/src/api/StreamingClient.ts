import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  CostRatesResponse,
  DeltaTableDetailsResponse,
  PipelineCostResponse,
  PipelineLagResponse,
  PipelineMetricsResponse,
  PipelineStatusResponse,
  StreamingOverviewQuery,
  StreamingOverviewResponse,
  StreamingTeamsResponse,
  TopicDetailsResponse,
} from '@internal/plugin-streaming-common';
import { MetricsRange, StreamingApi } from './StreamingApi';

/**
 * The {@link StreamingApi} over HTTP, through the app's discovery and fetch
 * APIs (so requests carry the user's credentials).
 *
 * @public
 */
export class StreamingClient implements StreamingApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getPipelineMetrics(
    entity: CompoundEntityRef,
    range: MetricsRange,
  ): Promise<PipelineMetricsResponse> {
    return this.get(['pipelines', ...refPath(entity), 'metrics'], {
      window: range.window,
    });
  }

  getPipelineLag(entity: CompoundEntityRef): Promise<PipelineLagResponse> {
    return this.get(['pipelines', ...refPath(entity), 'lag']);
  }

  getPipelineStatus(
    entity: CompoundEntityRef,
  ): Promise<PipelineStatusResponse> {
    return this.get(['pipelines', ...refPath(entity), 'status']);
  }

  getPipelineCost(entity: CompoundEntityRef): Promise<PipelineCostResponse> {
    return this.get(['pipelines', ...refPath(entity), 'cost']);
  }

  getTopicDetails(entity: CompoundEntityRef): Promise<TopicDetailsResponse> {
    return this.get(['topics', ...refPath(entity)]);
  }

  getDeltaTableDetails(
    entity: CompoundEntityRef,
  ): Promise<DeltaTableDetailsResponse> {
    return this.get(['tables', ...refPath(entity)]);
  }

  getOverview(
    query: StreamingOverviewQuery = {},
  ): Promise<StreamingOverviewResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v !== undefined && v !== '') params.append(key, String(v));
      }
    }
    return this.get(['overview'], params);
  }

  getCostRates(): Promise<CostRatesResponse> {
    return this.get(['cost', 'rates']);
  }

  getTeams(): Promise<StreamingTeamsResponse> {
    return this.get(['teams']);
  }

  private async get<T>(
    segments: string[],
    query?: Record<string, string> | URLSearchParams,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('streaming');
    const path = segments.map(encodeURIComponent).join('/');
    const search = new URLSearchParams(query).toString();
    const url = `${baseUrl}/${path}${search ? `?${search}` : ''}`;
    const res = await this.fetchApi.fetch(url);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}

function refPath(entity: CompoundEntityRef): string[] {
  return [entity.namespace, entity.name];
}
