import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { JsonObject } from '@backstage/types';
import { waitFor } from '@internal/plugin-streaming-node/testUtils';
import { pathToFileURL } from 'node:url';
import { streamingScaffolderFeatures } from '../features';
import { KAFKA_BROKERS } from './testEnvironment';

/** A finished scaffolder task, with its log. */
export interface FinishedTask {
  status: string;
  output: JsonObject;
  log: string[];
}

/**
 * The real scaffolder and catalog backends on SQLite with this package's
 * features, the local Kafka cluster, and whatever config a test adds.
 */
export async function startScaffolderTestBackend(options: {
  streaming: JsonObject;
  /** The Kubernetes clusters (`kubernetes.clusterLocatorMethods`). */
  kubernetes?: JsonObject;
  locations?: string[];
  /** More features, such as a plugin the actions call. */
  features?: BackendFeature[];
}) {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      catalogPlugin,
      catalogModuleTemplateKind,
      streamingScaffolderFeatures,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          catalog: {
            rules: [
              {
                // Resource and API: the topics, tables and schemas the
                // streaming catalog module emits for a pipeline, when a
                // test adds it.
                allow: [
                  'Component',
                  'Template',
                  'Location',
                  'Group',
                  'User',
                  'Resource',
                  'API',
                ],
              },
            ],
            // A `file:` URL is a url location (read through the UrlReader,
            // so `$yaml` placeholders resolve); anything else a file path.
            locations: (options.locations ?? []).map(target => ({
              type: target.startsWith('file:') ? 'url' : 'file',
              target,
            })),
          },
          streaming: {
            kafka: { clusters: [{ name: 'local', brokers: KAFKA_BROKERS }] },
            ...options.streaming,
          },
          ...(options.kubernetes ? { kubernetes: options.kubernetes } : {}),
        },
      }),
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}/api`;

  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: mockCredentials.user.header(),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }

  return {
    request,

    /** `POST /v2/dry-run` of a template with form values. */
    async dryRun(template: JsonObject, values: JsonObject) {
      return request<{
        log: Array<{
          body: { message: string; stepId?: string; status?: string };
        }>;
        output: JsonObject;
        steps: Array<{ id: string }>;
        directoryContents: Array<{ path: string; base64Content: string }>;
        errors?: unknown[];
        error?: { message: string };
      }>('POST', '/scaffolder/v2/dry-run', {
        template,
        values,
        directoryContents: [],
      });
    },

    /**
     * Registers a catalog-info.yaml (its path) as a url location, as
     * `catalog:register` does, and waits until the catalog has the
     * Component `name` of the default namespace.
     */
    async registerComponent(catalogInfo: string, name: string) {
      const registered = await request('POST', '/catalog/locations', {
        type: 'url',
        target: pathToFileURL(catalogInfo).href,
      });
      if (registered.status !== 201) {
        throw new Error(`not registered: ${JSON.stringify(registered.body)}`);
      }
      await waitFor(`component:default/${name} in the catalog`, async () =>
        (
          await request(
            'GET',
            `/catalog/entities/by-name/component/default/${name}`,
          )
        ).status === 200
          ? true
          : undefined,
      );
    },

    /** Runs a template registered in the catalog and waits for the end. */
    async runTask(templateRef: string, values: JsonObject) {
      const created = await request<{ id: string }>(
        'POST',
        '/scaffolder/v2/tasks',
        { templateRef, values },
      );
      if (created.status !== 201) {
        throw new Error(`task not created: ${JSON.stringify(created.body)}`);
      }
      const { id } = created.body;
      const status = await waitFor(
        `task ${id} to end`,
        async () => {
          const task = await request<{ status: string }>(
            'GET',
            `/scaffolder/v2/tasks/${id}`,
          );
          return ['completed', 'failed', 'cancelled'].includes(task.body.status)
            ? task.body.status
            : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 250 },
      );
      const events = await request<
        Array<{
          type: string;
          body: { message?: string; output?: JsonObject };
        }>
      >('GET', `/scaffolder/v2/tasks/${id}/events`);
      return {
        status,
        output:
          events.body.find(e => e.type === 'completion')?.body.output ?? {},
        log: events.body.map(e => e.body.message ?? ''),
      } as FinishedTask;
    },

    stop: () => backend.stop(),
  };
}
