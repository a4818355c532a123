import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { CustomObjectsApi } from '@kubernetes/client-node';
import {
  ANNOTATION_OWNER_ENTITY,
  PipelineOperation,
  PipelineOperationTarget,
} from '@internal/plugin-streaming-common';
import {
  kubeConfigForCluster,
  loadKubernetesClient,
  SparkApplicationNamespaces,
} from '@internal/plugin-streaming-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { StreamingConfig } from '../../config/StreamingConfig';
import { PipelineEntity } from '../Pipelines/PipelineCatalog';
import { OperationsStore } from './OperationsStore';

/** An operation of the Streaming tab. */
export type PipelineAction = PipelineOperation['action'];

const RESOURCE = {
  group: 'sparkoperator.k8s.io',
  version: 'v1beta2',
  plural: 'sparkapplications',
};

interface SparkApplicationObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { suspend?: boolean; [key: string]: unknown };
}

/** The status code of a failed API server request, if it was one. */
const codeOf = (error: unknown) => (error as { code?: number }).code;

/**
 * Pauses, resumes and restarts the `SparkApplication` of a pipeline on the
 * Kubernetes clusters of `streaming.kubernetes.clusters`, and records every
 * operation in the audit trail ({@link OperationsStore}).
 *
 * - pause / resume: a JSON merge patch of `spec.suspend` (true / false),
 *   conditional on the `resourceVersion` read; the Spark Operator deletes the
 *   application's pods on suspend, each with its pod's
 *   `terminationGracePeriodSeconds`, so the generated job stops after its
 *   running micro-batch (SIGTERM). Pausing a paused application changes
 *   nothing and is recorded as `unchanged`.
 * - restart: deletes the object (only the version read, by uid and
 *   resourceVersion; `Foreground` propagation by default, so it stays until
 *   its pods have stopped gracefully), waits until it is gone for at most
 *   `streaming.operations.restartTimeout`, and creates it again from
 *   its labels, annotations and spec (no status, no server-set metadata).
 *
 * The object acted on is found where the status source looks (the pipeline's
 * `streaming-platform.dev/spark-application` annotation, the cluster's
 * default namespace), only in the namespaces the platform deploys to, and
 * only when its `streaming-platform.dev/owner-entity` annotation names the
 * pipeline: another entity's object of the same name is never touched.
 */
export class PipelineOperations {
  private clients?: Promise<Map<string, CustomObjectsApi>>;

  constructor(
    private readonly config: StreamingConfig,
    private readonly namespaces: SparkApplicationNamespaces,
    readonly store: OperationsStore,
    private readonly logger: LoggerService,
  ) {}

  /** Records a caller refused by the permission policy; nothing else happens. */
  refuse(
    pipeline: PipelineEntity,
    action: PipelineAction,
    actor: string,
  ): Promise<PipelineOperation> {
    return this.store.record({
      entityRef: pipeline.entityRef,
      action,
      actor,
      result: 'refused',
      message: 'not allowed: streaming.pipeline.operate',
    });
  }

  /**
   * Runs `action` on the pipeline's SparkApplication and records it. A
   * failure is recorded too, then thrown (400 no application configured,
   * 404 not found, 409 someone else's object or changed meanwhile, 503 the
   * API server failed).
   */
  async run(
    pipeline: PipelineEntity,
    action: PipelineAction,
    actor: string,
  ): Promise<PipelineOperation> {
    const base = { entityRef: pipeline.entityRef, action, actor };
    let target: PipelineOperationTarget | undefined;
    try {
      const found = await this.find(pipeline);
      target = found.target;
      const outcome =
        action === 'restart'
          ? await this.restart(found.api, found.object, target)
          : await this.setSuspend(
              found.api,
              found.object,
              target,
              action === 'pause',
            );
      this.logger.info('Pipeline operation', {
        ...base,
        ...target,
        result: outcome.result,
      });
      return await this.store.record({ ...base, target, ...outcome });
    } catch (error) {
      const message = (error as Error).message;
      this.logger.warn('Pipeline operation failed', {
        ...base,
        ...target,
        error: message,
      });
      await this.store.record({
        ...base,
        target,
        result: 'failed',
        message,
      });
      throw error;
    }
  }

  private getClients(): Promise<Map<string, CustomObjectsApi>> {
    this.clients ??= loadKubernetesClient().then(
      async k8s =>
        new Map(
          await Promise.all(
            this.config.kubernetes.clusters.map(
              async cluster =>
                [
                  cluster.name,
                  (
                    await kubeConfigForCluster(cluster)
                  ).makeApiClient(k8s.CustomObjectsApi),
                ] as const,
            ),
          ),
        ),
    );
    return this.clients;
  }

  /** The pipeline's SparkApplication, owned by the pipeline, in an allowed namespace. */
  private async find(pipeline: PipelineEntity) {
    const clusters = this.config.kubernetes.clusters;
    if (clusters.length === 0) {
      throw new InputError(
        `${pipeline.entityRef} does not run on Kubernetes here: no cluster in streaming.kubernetes.clusters`,
      );
    }
    const wanted = pipeline.sparkApplication ?? {
      name: pipeline.summary.name,
    };
    const candidates = wanted.cluster
      ? clusters.filter(c => c.name === wanted.cluster)
      : clusters;
    if (candidates.length === 0) {
      throw new InputError(
        `${pipeline.entityRef} names Kubernetes cluster "${
          wanted.cluster
        }"; configured: ${clusters.map(c => c.name).join(', ')}`,
      );
    }
    const clients = await this.getClients();
    const misses: string[] = [];
    for (const cluster of candidates) {
      const namespace = wanted.namespace ?? cluster.defaultNamespace;
      const allowed = this.namespaces.forCluster(cluster);
      if (!allowed.namespaces.includes(namespace)) {
        misses.push(
          `${cluster.name}/${namespace}: not a namespace the platform deploys to (${allowed.source})`,
        );
        continue;
      }
      const target = { cluster: cluster.name, namespace, name: wanted.name };
      const api = clients.get(cluster.name)!;
      let object: SparkApplicationObject;
      try {
        object = (await api.getNamespacedCustomObject({
          ...RESOURCE,
          namespace,
          name: wanted.name,
        })) as SparkApplicationObject;
      } catch (error) {
        if (codeOf(error) === 404) {
          misses.push(`${cluster.name}/${namespace}: no SparkApplication`);
          continue;
        }
        throw apiFailure(error, 'read', target);
      }
      const owner = object.metadata.annotations?.[ANNOTATION_OWNER_ENTITY];
      if (owner !== pipeline.entityRef) {
        throw new ConflictError(
          `SparkApplication ${label(target)} is not owned by ${
            pipeline.entityRef
          } (its ${ANNOTATION_OWNER_ENTITY} annotation names ${
            owner ? 'another entity' : 'none'
          }); not operated`,
        );
      }
      return { api, object, target };
    }
    throw new NotFoundError(
      `No SparkApplication ${wanted.name} of ${
        pipeline.entityRef
      } found (${misses.join('; ')})`,
    );
  }

  private async setSuspend(
    api: CustomObjectsApi,
    object: SparkApplicationObject,
    target: PipelineOperationTarget,
    suspend: boolean,
  ): Promise<Pick<PipelineOperation, 'result' | 'message'>> {
    if ((object.spec?.suspend ?? false) === suspend) {
      return {
        result: 'unchanged',
        message: `spec.suspend already ${suspend}`,
      };
    }
    const { setHeaderOptions, PatchStrategy } = await loadKubernetesClient();
    try {
      await api.patchNamespacedCustomObject(
        {
          ...RESOURCE,
          namespace: target.namespace,
          name: target.name,
          // The resourceVersion makes the patch apply only to the version
          // whose owner was checked.
          body: {
            metadata: { resourceVersion: object.metadata.resourceVersion },
            spec: { suspend },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (error) {
      throw apiFailure(error, 'patch', target);
    }
    return { result: 'done', message: `spec.suspend set to ${suspend}` };
  }

  private async restart(
    api: CustomObjectsApi,
    object: SparkApplicationObject,
    target: PipelineOperationTarget,
  ): Promise<Pick<PipelineOperation, 'result' | 'message'>> {
    const { metadata } = object;
    const fresh = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: {
        name: metadata.name,
        namespace: metadata.namespace,
        ...(metadata.labels ? { labels: metadata.labels } : {}),
        ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
      },
      spec: object.spec,
    };
    try {
      await api.deleteNamespacedCustomObject({
        ...RESOURCE,
        namespace: target.namespace,
        name: target.name,
        // In the body: the API server reads a delete's options from its
        // body when there is one, not from the query.
        body: {
          propagationPolicy: this.config.operations.restartPropagation,
          preconditions: {
            uid: metadata.uid,
            resourceVersion: metadata.resourceVersion,
          },
        },
      });
    } catch (error) {
      throw apiFailure(error, 'delete', target);
    }
    await this.waitUntilGone(api, target, metadata.uid);
    let created: SparkApplicationObject;
    try {
      created = (await api.createNamespacedCustomObject({
        ...RESOURCE,
        namespace: target.namespace,
        body: fresh,
      })) as SparkApplicationObject;
    } catch (error) {
      throw apiFailure(error, 'create', target);
    }
    return {
      result: 'done',
      message: `deleted uid ${metadata.uid}, created uid ${created.metadata.uid}`,
    };
  }

  private async waitUntilGone(
    api: CustomObjectsApi,
    target: PipelineOperationTarget,
    uid: string | undefined,
  ): Promise<void> {
    const { restartTimeoutMs, deletePollIntervalMs } = this.config.operations;
    const deadline = Date.now() + restartTimeoutMs;
    for (;;) {
      try {
        const current = (await api.getNamespacedCustomObject({
          ...RESOURCE,
          namespace: target.namespace,
          name: target.name,
        })) as SparkApplicationObject;
        if (current.metadata.uid !== uid) {
          throw new ConflictError(
            `SparkApplication ${label(
              target,
            )} was created again by someone else during the restart; not re-created`,
          );
        }
      } catch (error) {
        if (codeOf(error) === 404) return;
        if (error instanceof ConflictError) throw error;
        throw apiFailure(error, 'read', target);
      }
      if (Date.now() >= deadline) {
        throw new ServiceUnavailableError(
          `SparkApplication ${label(target)} is still being deleted after ${
            restartTimeoutMs / 1000
          } s (streaming.operations.restartTimeout); it is being deleted and is not re-created: apply the pipeline's SparkApplication again (its deploy/spark-application.yaml) once it is gone`,
        );
      }
      await sleep(deletePollIntervalMs);
    }
  }
}

function label(target: PipelineOperationTarget): string {
  return `${target.cluster}/${target.namespace}/${target.name}`;
}

/** A failed API server request: what the server said, never the request (its token). */
function apiFailure(
  error: unknown,
  verb: string,
  target: PipelineOperationTarget,
): Error {
  const code = codeOf(error);
  const body = (error as { body?: unknown }).body;
  let reason = '';
  try {
    const parsed = typeof body === 'string' ? JSON.parse(body) : body;
    reason = (parsed as { message?: string } | undefined)?.message ?? '';
  } catch {
    // not JSON
  }
  const message = `Kubernetes refused to ${verb} SparkApplication ${label(
    target,
  )}: ${code ? `HTTP ${code}` : (error as Error).message}${
    reason ? ` (${reason})` : ''
  }`;
  if (code === 409) return new ConflictError(message);
  return new ServiceUnavailableError(message);
}
