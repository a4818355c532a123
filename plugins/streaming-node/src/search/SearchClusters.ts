import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readOptionalDuration } from '../config/readOptionalDuration';
import { SearchClient } from './SearchClient';

/** A node URL as compared: scheme, host, port and path, no trailing slash. */
function normalizeNode(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    if (
      !['http:', 'https:'].includes(parsed.protocol) ||
      parsed.username ||
      parsed.password ||
      parsed.search ||
      parsed.hash
    ) {
      return undefined;
    }
    return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** An index name pattern of `indices` (`*` any characters) as an anchored RegExp. */
function indexPattern(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

/**
 * The Elasticsearch / OpenSearch clusters named in app-config
 * (`streaming.search.clusters`). The backend reads index statistics only from
 * these: a node URL found in the catalog (a pipeline's `sink.nodes`) selects
 * the configured cluster that lists it, and is never requested itself.
 *
 * @public
 */
export class SearchClusters {
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): SearchClusters {
    const timeoutMs = readOptionalDuration(
      config,
      'streaming.search.requestTimeout',
      { defaultValue: { seconds: 10 }, logger: options.logger },
    );
    const clusters = (
      config.getOptionalConfigArray('streaming.search.clusters') ?? []
    ).map(c => {
      const name = c.getString('name');
      const nodes = c.getStringArray('nodes').map((url, i) => {
        const node = normalizeNode(url);
        if (!node) {
          // The URL itself is not repeated: it may hold a password.
          throw new InputError(
            `streaming.search.clusters[${name}].nodes[${i}] is not an http(s) URL without credentials, query or fragment (use username and password)`,
          );
        }
        return node;
      });
      const username = c.getOptionalString('username');
      const password = c.getOptionalString('password');
      const client = new SearchClient({
        name,
        nodes,
        authorization:
          username !== undefined
            ? `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString(
                'base64',
              )}`
            : undefined,
        timeoutMs,
      });
      const indices = c.getOptionalStringArray('indices');
      return {
        name,
        nodes,
        client,
        ...(indices ? { indices: indices.map(indexPattern) } : {}),
      };
    });
    return new SearchClusters(clusters);
  }

  private constructor(
    private readonly clusters: Array<{
      name: string;
      nodes: string[];
      client: SearchClient;
      /** The `indices` patterns; every index when absent. */
      indices?: RegExp[];
    }>,
  ) {}

  clusterNames(): string[] {
    return this.clusters.map(c => c.name);
  }

  /** The client of a configured cluster; an `InputError` naming the configured ones otherwise. */
  get(name: string): SearchClient {
    const cluster = this.clusters.find(c => c.name === name);
    if (!cluster) {
      throw new InputError(
        `unknown search cluster '${name}': configured in streaming.search.clusters are ${
          this.clusterNames().join(', ') || 'none'
        }`,
      );
    }
    return cluster.client;
  }

  /**
   * Whether the backend may report on `index` of the cluster: its name
   * matches one of the cluster's `indices` patterns, or the cluster lists
   * none. An index named in the catalog is checked with this before any
   * request, so a catalog author cannot read the statistics of an index
   * outside the list.
   */
  allowsIndex(name: string, index: string): boolean {
    const patterns = this.clusters.find(c => c.name === name)?.indices;
    return patterns ? patterns.some(p => p.test(index)) : true;
  }

  /**
   * The name of the configured cluster whose `nodes` list every URL of
   * `nodes` (comma-separated, as a pipeline's `sink.nodes`); undefined when
   * none does.
   */
  clusterForNodes(nodes: string): string | undefined {
    const wanted = nodes.split(',').map(normalizeNode);
    if (wanted.length === 0 || wanted.some(n => n === undefined)) {
      return undefined;
    }
    return this.clusters.find(c => wanted.every(n => c.nodes.includes(n!)))
      ?.name;
  }
}
