import type { CustomObjectsApi } from '@kubernetes/client-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_OWNER_ENTITY,
  SourceError,
} from '@internal/plugin-streaming-common';
import {
  kubeConfigForCluster,
  loadKubernetesClient,
  SparkApplicationInfo,
  SparkApplicationNamespaces,
  SparkApplicationTarget,
  StatusSource,
} from '@internal/plugin-streaming-node';
import {
  KubernetesClusterConfig,
  StreamingConfig,
} from '../../config/StreamingConfig';
import { TtlCache } from '../../lib/TtlCache';
import {
  sparkApplicationSchema,
  toSparkApplicationInfo,
} from './sparkApplication';

type Answer = { application?: SparkApplicationInfo; errors: SourceError[] };

interface ClusterClient {
  config: KubernetesClusterConfig;
  api: CustomObjectsApi;
}

function describeFailure(error: unknown): string {
  const code = (error as { code?: number }).code;
  if (code === 403)
    return 'forbidden (403): the service account may not read sparkapplications here';
  if (code === 401) return 'unauthorized (401): check serviceAccountToken';
  if (code === 404) return 'not found';
  return code ? `HTTP ${code}` : (error as Error).message;
}

/**
 * {@link StatusSource} reading `SparkApplication`s from the Kubernetes
 * clusters in config, one API client per cluster, answers cached for
 * `streaming.status.cacheTtl`. It reads only the namespaces the platform
 * deploys to ({@link SparkApplicationNamespaces}) and reports an application
 * only to the entity its `streaming-platform.dev/owner-entity` annotation
 * names: the catalog author's annotations choose where to look, never whose
 * application is shown.
 */
export class KubernetesStatusSource implements StatusSource {
  private clients?: Promise<ClusterClient[]>;
  private readonly cache: TtlCache<Answer>;

  constructor(
    private readonly config: StreamingConfig,
    private readonly namespaces: SparkApplicationNamespaces,
    private readonly logger: LoggerService,
  ) {
    this.cache = new TtlCache(config.status.cacheTtlMs);
  }

  get enabled(): boolean {
    return this.config.kubernetes.clusters.length > 0;
  }

  private getClients(): Promise<ClusterClient[]> {
    this.clients ??= loadKubernetesClient().then(k8s =>
      Promise.all(
        this.config.kubernetes.clusters.map(async cluster => ({
          config: cluster,
          api: (await kubeConfigForCluster(cluster)).makeApiClient(
            k8s.CustomObjectsApi,
          ),
        })),
      ),
    );
    return this.clients;
  }

  /**
   * Defaults are resolved before the cache is asked: the key lists every
   * (cluster, namespace) the answer is read from, so no two targets that
   * read different places share an answer.
   */
  getApplication(target: SparkApplicationTarget): Promise<Answer> {
    const { places, refused } = this.placesOf(target);
    if (places.length === 0) {
      return Promise.resolve({ errors: refused });
    }
    return this.cache
      .get(this.cacheKey(places, target), () =>
        this.fetch(places, target.name, target.entityRef),
      )
      .then(answer =>
        refused.length === 0
          ? answer
          : { ...answer, errors: [...refused, ...answer.errors] },
      );
  }

  /** Drops the cached answer for `target`: an operation has just changed it. */
  forget(target: SparkApplicationTarget): void {
    const { places } = this.placesOf(target);
    if (places.length > 0) {
      this.cache.delete(this.cacheKey(places, target));
    }
  }

  private cacheKey(
    places: Array<{ cluster: string; namespace: string }>,
    target: SparkApplicationTarget,
  ): string {
    return JSON.stringify([places, target.name, target.entityRef]);
  }

  /** Where `target` is read from, and the places refused (namespace not allowed, unknown cluster). */
  private placesOf(target: SparkApplicationTarget): {
    places: Array<{ cluster: string; namespace: string }>;
    refused: SourceError[];
  } {
    const clusters = this.config.kubernetes.clusters;
    const candidates = target.cluster
      ? clusters.filter(c => c.name === target.cluster)
      : clusters;
    if (candidates.length === 0) {
      const known = clusters.map(c => c.name).join(', ') || 'none';
      return {
        places: [],
        refused: [
          {
            source: `kubernetes:${target.cluster}`,
            message: `No Kubernetes cluster named ${target.cluster}; configured: ${known}`,
          },
        ],
      };
    }
    const places: Array<{ cluster: string; namespace: string }> = [];
    const refused: SourceError[] = [];
    for (const cluster of candidates) {
      const namespace = target.namespace ?? cluster.defaultNamespace;
      const allowed = this.namespaces.forCluster(cluster);
      if (allowed.namespaces.includes(namespace)) {
        places.push({ cluster: cluster.name, namespace });
      } else {
        refused.push({
          source: `kubernetes:${cluster.name}`,
          message: `namespace "${namespace}" is not one the platform deploys to on this cluster (${allowed.source}); not read`,
        });
      }
    }
    return { places, refused };
  }

  private async fetch(
    places: Array<{ cluster: string; namespace: string }>,
    name: string,
    entityRef: string,
  ): Promise<Answer> {
    const clients = await this.getClients();
    const candidates = places.map(place => ({
      ...place,
      api: clients.find(c => c.config.name === place.cluster)!.api,
    }));
    const results = await Promise.all(
      candidates.map(async ({ cluster, namespace, api }) => {
        try {
          const object = await api.getNamespacedCustomObject({
            group: 'sparkoperator.k8s.io',
            version: 'v1beta2',
            namespace,
            plural: 'sparkapplications',
            name,
          });
          const parsed = sparkApplicationSchema.safeParse(object);
          if (!parsed.success) {
            return {
              error: {
                source: `kubernetes:${cluster}/${namespace}`,
                message: `unexpected SparkApplication: ${parsed.error.issues[0].message}`,
              },
            };
          }
          const owner =
            parsed.data.metadata.annotations?.[ANNOTATION_OWNER_ENTITY];
          if (owner !== entityRef) {
            return {
              error: {
                source: `kubernetes:${cluster}/${namespace}`,
                message: `SparkApplication ${name} is not owned by ${entityRef} (its ${ANNOTATION_OWNER_ENTITY} annotation names ${
                  owner ? 'another entity' : 'none'
                }); not shown`,
              },
            };
          }
          return {
            application: toSparkApplicationInfo(cluster, parsed.data),
          };
        } catch (error) {
          const code = (error as { code?: number }).code;
          if (code === 404 && candidates.length > 1) {
            return {};
          }
          this.logger.debug('Reading a SparkApplication failed', {
            cluster,
            namespace,
            name,
            status: code,
          });
          return {
            error: {
              source: `kubernetes:${cluster}/${namespace}`,
              message: describeFailure(error),
            },
          };
        }
      }),
    );
    return {
      application: results.find(r => r.application)?.application,
      errors: results.flatMap(r => (r.error ? [r.error] : [])),
    };
  }
}
