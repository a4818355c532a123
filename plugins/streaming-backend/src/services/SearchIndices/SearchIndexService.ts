import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { SearchIndexDetailsResponse } from '@internal/plugin-streaming-common';
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
   * The statistics of `index` on the configured cluster whose nodes include
   * every URL of `nodes` (the entity's `elasticsearch-nodes`): NotAllowedError
   * when no configured cluster lists them, so that a URL from the catalog is
   * never requested itself, or when the cluster's `indices` do not include
   * the index.
   */
  async getIndex(
    entityRef: string,
    index: string,
    nodes: string,
  ): Promise<SearchIndexDetailsResponse> {
    const cluster = this.clusters.clusterForNodes(nodes);
    if (!cluster) {
      throw new NotAllowedError(
        `${entityRef} is written to ${nodes}, which is not a search cluster configured in streaming.search.clusters (configured: ${
          this.clusters.clusterNames().join(', ') || 'none'
        })`,
      );
    }
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
}
