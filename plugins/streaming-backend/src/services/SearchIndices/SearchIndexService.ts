import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  SearchClusterListResponse,
  SearchIndexDetailsResponse,
} from '@internal/plugin-streaming-common';
import {
  readOptionalDuration,
  SearchClusters,
} from '@internal/plugin-streaming-node';
import { TtlCache } from '../../lib/TtlCache';

/**
 * Document count, size, shards and health of the indices of
 * `elasticsearch-index` Resources, from the search clusters of
 * `streaming.search.clusters` only, reused for
 * `streaming.search.statsCacheTtl`.
 */
export class SearchIndexService {
  static fromConfig(config: Config, logger: LoggerService): SearchIndexService {
    return new SearchIndexService(
      SearchClusters.fromConfig(config, { logger }),
      readOptionalDuration(config, 'streaming.search.statsCacheTtl', {
        defaultValue: { seconds: 30 },
        allowZero: true,
        logger,
      }),
    );
  }

  private readonly answers: TtlCache<
    Omit<SearchIndexDetailsResponse, 'entityRef'>
  >;

  private constructor(
    private readonly clusters: SearchClusters,
    cacheTtlMs: number,
  ) {
    this.answers = new TtlCache(cacheTtlMs);
  }

  /**
   * The names of the configured clusters, in their app-config order, for the
   * Create form; their nodes and credentials stay here.
   */
  listClusters(): SearchClusterListResponse {
    return { clusters: this.clusters.clusterNames().map(name => ({ name })) };
  }

  /**
   * The statistics of `index` on its configured cluster: the one named
   * `cluster` (the entity's `elasticsearch-cluster`) when given, else the one
   * whose nodes include every URL of `nodes` (its `elasticsearch-nodes`).
   * NotFoundError when no configured cluster has that name; NotAllowedError
   * when none lists the nodes, so that a URL from the catalog is never
   * requested itself, or when the cluster's `indices` do not include the
   * index.
   */
  async getIndex(
    entityRef: string,
    index: string,
    target: { cluster: string } | { nodes: string },
  ): Promise<SearchIndexDetailsResponse> {
    const cluster = this.clusterOf(entityRef, target);
    if (!this.clusters.allowsIndex(cluster, index)) {
      throw new NotAllowedError(
        `${entityRef} names index ${index}, which is not among the indices of search cluster ${cluster} (streaming.search.clusters[${cluster}].indices)`,
      );
    }
    const answer = await this.answers.get(
      `${cluster}\u0000${index}`,
      async () => ({
        cluster,
        index,
        ...(await this.clusters.get(cluster).indexStats(index)),
        observedAt: new Date().toISOString(),
      }),
    );
    return { entityRef, ...answer };
  }

  private clusterOf(
    entityRef: string,
    target: { cluster: string } | { nodes: string },
  ): string {
    const configured = this.clusters.clusterNames().join(', ') || 'none';
    if ('cluster' in target) {
      if (!this.clusters.clusterNames().includes(target.cluster)) {
        throw new NotFoundError(
          `${entityRef} is written to search cluster ${target.cluster}, which is not configured in streaming.search.clusters (configured: ${configured})`,
        );
      }
      return target.cluster;
    }
    const cluster = this.clusters.clusterForNodes(target.nodes);
    if (!cluster) {
      throw new NotAllowedError(
        `${entityRef} is written to ${target.nodes}, which is not a search cluster configured in streaming.search.clusters (configured: ${configured})`,
      );
    }
    return cluster;
  }
}
