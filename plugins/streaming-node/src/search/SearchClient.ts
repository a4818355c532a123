import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { z } from 'zod';

/**
 * Document count, size and shards of an Elasticsearch or OpenSearch index,
 * as `_cat/indices` reports them (an alias sums its indices).
 *
 * @public
 */
export interface SearchIndexStats {
  /** `green`, `yellow` or `red`: the worst of the index's (or alias's) indices. */
  health: 'green' | 'yellow' | 'red';
  /** Documents, counted as the engine does (nested documents included). */
  documents: number;
  /** Bytes on disk, primaries and replicas. */
  sizeBytes: number;
  primaryShards: number;
  replicaShards: number;
}

/** The connection to one search cluster (see `SearchClusters`). */
export interface SearchClientOptions {
  /** The cluster's name in `streaming.search.clusters`, for messages. */
  name: string;
  /** Node URLs, tried in order until one answers. */
  nodes: string[];
  /** The `Authorization` header, when the cluster needs one. */
  authorization?: string;
  timeoutMs: number;
}

/** Index names as Elasticsearch allows them (and nothing that changes the path). */
const INDEX_NAME = /^[a-z0-9][a-z0-9._-]{0,254}$/;

const catIndicesSchema = z.array(
  z.object({
    health: z.enum(['green', 'yellow', 'red']).nullish(),
    pri: z.coerce.number().int(),
    rep: z.coerce.number().int(),
    'docs.count': z.coerce.number().int().nullish(),
    'store.size': z.coerce.number().int().nullish(),
  }),
);

const HEALTH_ORDER = ['green', 'yellow', 'red'] as const;

/**
 * Reads index statistics from an Elasticsearch-compatible cluster's REST API
 * (`GET /_cat/indices/{index}`), trying its nodes in order.
 *
 * @public
 */
export class SearchClient {
  constructor(private readonly options: SearchClientOptions) {}

  get name(): string {
    return this.options.name;
  }

  /** The index's (or alias's) statistics; NotFoundError when it does not exist. */
  async indexStats(index: string): Promise<SearchIndexStats> {
    if (!INDEX_NAME.test(index)) {
      throw new InputError(`'${index}' is not an index name`);
    }
    const response = await this.get(
      `/_cat/indices/${index}?format=json&bytes=b&h=health,pri,rep,docs.count,store.size`,
    );
    if (response.status === 404) {
      throw new NotFoundError(
        `No index ${index} on search cluster ${this.options.name}`,
      );
    }
    if (!response.ok) {
      throw new ServiceUnavailableError(
        `Search cluster ${this.options.name} answered ${response.status} for the statistics of index ${index}`,
      );
    }
    const parsed = catIndicesSchema.safeParse(await response.json());
    if (!parsed.success || parsed.data.length === 0) {
      throw new ServiceUnavailableError(
        `Search cluster ${this.options.name} gave no statistics for index ${index}`,
      );
    }
    const rows = parsed.data;
    return {
      health:
        HEALTH_ORDER[
          Math.max(...rows.map(r => HEALTH_ORDER.indexOf(r.health ?? 'red')))
        ],
      documents: rows.reduce((sum, r) => sum + (r['docs.count'] ?? 0), 0),
      sizeBytes: rows.reduce((sum, r) => sum + (r['store.size'] ?? 0), 0),
      primaryShards: rows.reduce((sum, r) => sum + r.pri, 0),
      replicaShards: rows.reduce((sum, r) => sum + r.pri * r.rep, 0),
    };
  }

  /** The first node's answer; ServiceUnavailableError when none answers. */
  private async get(path: string): Promise<Response> {
    for (const node of this.options.nodes) {
      try {
        return await fetch(`${node}${path}`, {
          headers: {
            Accept: 'application/json',
            ...(this.options.authorization
              ? { Authorization: this.options.authorization }
              : {}),
          },
          redirect: 'error',
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch {
        // Unreachable or too slow: the next node.
      }
    }
    throw new ServiceUnavailableError(
      `Search cluster ${this.options.name} did not answer (${this.options.nodes.length} node(s), streaming.search.requestTimeout ${this.options.timeoutMs} ms)`,
    );
  }
}
