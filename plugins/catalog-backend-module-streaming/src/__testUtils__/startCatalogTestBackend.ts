import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import type { WaitForOptions } from '@internal/plugin-streaming-node/testUtils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogModuleStreaming } from '../module';

/** A processing error the catalog reported for an entity. */
export interface CatalogProcessingError {
  entityRef: string;
  messages: string[];
}

export interface StartCatalogTestBackendOptions {
  /** Absolute paths of catalog files, registered as `file` locations. */
  locations: string[];
  /** Whether to install the streaming module (false: the plain catalog). */
  withStreaming?: boolean;
  /** SQLite connection: `:memory:` (default) or `{ directory }` of database files. */
  sqlite?: string | { directory: string };
  /** Config merged over the defaults (e.g. `backend.reading.allow`). */
  config?: JsonObject;
  /** `catalog.processors` (e.g. `streamingPipeline.maxFileBytes`). */
  processors?: JsonObject;
  /** Extra locations, with their type (e.g. `url`). */
  extraLocations?: Array<{ type: string; target: string }>;
  /** More backend features (e.g. a test module that reaches the catalog's scheduler). */
  features?: BackendFeature[];
}

export interface CatalogTestBackend {
  baseUrl: string;
  /** Processing errors the catalog has reported so far, in order. */
  errors: CatalogProcessingError[];
  /** JSON from the catalog's REST API, as a signed-in user. */
  request<T>(
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<T>;
  getEntity(ref: string): Promise<Entity | undefined>;
  getEntitiesByRefs(refs: string[]): Promise<Array<Entity | undefined>>;
  /** All entities, just the fields asked for. */
  listEntities(fields?: string[]): Promise<Entity[]>;
  stop(): Promise<void>;
}

/**
 * The real catalog backend (`@backstage/plugin-catalog-backend`) on SQLite,
 * with file locations, optionally with this module, fast processing loops, and
 * an error handler that records processing errors.
 */
export async function startCatalogTestBackend(
  options: StartCatalogTestBackendOptions,
): Promise<CatalogTestBackend> {
  const errors: CatalogProcessingError[] = [];
  const errorRecorder = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-error-recorder',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.setOnProcessingErrorHandler(event => {
            const { kind, metadata } = event.unprocessedEntity;
            errors.push({
              entityRef: `${kind}:${metadata.namespace ?? 'default'}/${
                metadata.name
              }`.toLocaleLowerCase('en-US'),
              messages: event.errors.map(e => `${e.name}: ${e.message}`),
            });
          });
        },
      });
    },
  });

  const features: BackendFeature[] = [
    catalogPlugin,
    errorRecorder,
    mockServices.rootConfig.factory({
      data: {
        backend: {
          baseUrl: 'http://localhost:7007',
          database: {
            client: 'better-sqlite3',
            connection: options.sqlite ?? ':memory:',
          },
        },
        catalog: {
          rules: [
            {
              allow: [
                'Component',
                'System',
                'API',
                'Resource',
                'Location',
                'Group',
                'User',
              ],
            },
          ],
          locations: [
            ...options.locations.map(target => ({ type: 'file', target })),
            ...(options.extraLocations ?? []),
          ],
          ...(options.processors ? { processors: options.processors } : {}),
        },
        streaming: {
          kafka: { clusters: [{ name: 'local', brokers: ['127.0.0.1:9092'] }] },
        },
        ...options.config,
      },
    }),
  ];
  if (options.withStreaming !== false) {
    features.push(catalogModuleStreaming);
  }
  features.push(...(options.features ?? []));
  const backend = await startTestBackend({ features });
  const baseUrl = `http://localhost:${backend.server.port()}/api/catalog`;

  const request = async <T>(
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        Authorization: mockCredentials.user.header(),
        ...(init.body !== undefined
          ? { 'Content-Type': 'application/json' }
          : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    if (!response.ok) {
      throw new Error(
        `${init.method ?? 'GET'} ${path}: ${
          response.status
        } ${await response.text()}`,
      );
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };

  const getEntitiesByRefs = async (refs: string[]) =>
    (
      await request<{ items: Array<Entity | null> }>('/entities/by-refs', {
        method: 'POST',
        body: { entityRefs: refs },
      })
    ).items.map(item => item ?? undefined);

  return {
    baseUrl,
    errors,
    request,
    getEntitiesByRefs,
    getEntity: async ref => (await getEntitiesByRefs([ref]))[0],
    listEntities: async fields => {
      const query = fields ? `?fields=${fields.join(',')}` : '';
      return request<Entity[]>(`/entities${query}`);
    },
    stop: () => backend.stop(),
  };
}

/**
 * How the tests wait for the catalog ({@link waitFor} of the streaming test
 * utilities): up to two minutes, as its processing loops run slowly on a busy
 * machine, probing every 200 ms.
 */
export const catalogWait: WaitForOptions = {
  timeoutMs: 120_000,
  intervalMs: 200,
};
