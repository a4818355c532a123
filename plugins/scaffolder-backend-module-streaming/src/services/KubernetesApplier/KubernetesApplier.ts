import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import {
  kubeConfigForCluster,
  KubernetesClusterConfig,
  loadKubernetesClient,
  readKubernetesClusterConfigs,
  redactCredentials,
} from '@internal/plugin-streaming-node';
import { ANNOTATION_OWNER_ENTITY } from '@internal/plugin-streaming-common';
import { isDeepStrictEqual } from 'node:util';
import { findCluster } from '../../config/findCluster';
import { ApplyPolicy } from './ApplyPolicy';

/** The kinds the platform applies, with their apiVersion and where their CRD comes from. */
const APPLICABLE_KINDS: Record<string, { apiVersion: string; crd: string }> = {
  SparkApplication: {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    crd: 'the Spark Operator',
  },
  ScheduledSparkApplication: {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    crd: 'the Spark Operator',
  },
  PrometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    crd: 'the prometheus-operator',
  },
};

/** Kubernetes names: RFC 1123 labels/subdomains. */
const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** A manifest to apply. */
export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** What applying one object did, as the API server answered. */
export interface AppliedObject {
  kind: string;
  name: string;
  namespace: string;
  /** Empty for an object that a dry run would create. */
  resourceVersion: string;
  /** `created`, `configured` (changed) or `unchanged`; in dry run, what the apply would do. */
  result: 'created' | 'configured' | 'unchanged';
  dryRun: boolean;
}

/** An object of the platform's kinds that belongs to a catalog entity. */
export interface OwnedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid: string;
}

/** An error of `@kubernetes/client-node`: the HTTP status and the API server's `Status`. */
interface ApiError {
  code: number;
  body?: unknown;
  message: string;
}

function isApiError(error: unknown): error is ApiError {
  return typeof (error as ApiError)?.code === 'number';
}

/** The object without what the server changes on every write, to tell whether an apply changed it. */
function content(object: KubernetesObject | undefined): unknown {
  if (!object) return undefined;
  const {
    resourceVersion: _resourceVersion,
    managedFields: _managedFields,
    generation: _generation,
    ...metadata
  } = object.metadata ?? {};
  return { ...object, metadata };
}

/**
 * Server-side apply of the generated objects (SparkApplication, its
 * maintenance ScheduledSparkApplication, its PrometheusRule) to the
 * Kubernetes clusters of the Kubernetes plugin's config
 * ({@link readKubernetesClusterConfigs}), through `@kubernetes/client-node`'s
 * `KubernetesObjectApi`, so that a dry run is the API server's own
 * (`dryRun=All`): admission, schema and defaults included.
 *
 * Before anything is sent, the object must pass the {@link ApplyPolicy} of
 * the cluster, and an existing object of the same name must belong to the
 * same catalog entity (annotation `streaming-platform.dev/owner-entity`).
 * Conflicts with other field managers are forced only on an object that this
 * field manager applied for the same entity before.
 */
export class KubernetesApplier {
  readonly #clusters: KubernetesClusterConfig[];
  readonly #policy: ApplyPolicy;
  readonly #apis = new Map<string, Promise<KubernetesObjectApi>>();

  static fromConfig(config: Config): KubernetesApplier {
    return new KubernetesApplier(
      readKubernetesClusterConfigs(config),
      ApplyPolicy.fromConfig(config),
    );
  }

  private constructor(
    clusters: KubernetesClusterConfig[],
    policy: ApplyPolicy,
  ) {
    this.#clusters = clusters;
    this.#policy = policy;
  }

  /** One client per cluster (it caches the API discovery of each kind). */
  #api(cluster: KubernetesClusterConfig): Promise<KubernetesObjectApi> {
    let api = this.#apis.get(cluster.name);
    if (!api) {
      api = Promise.all([
        loadKubernetesClient(),
        kubeConfigForCluster(cluster),
      ]).then(([k8s, kubeConfig]) =>
        k8s.KubernetesObjectApi.makeApiClient(kubeConfig),
      );
      this.#apis.set(cluster.name, api);
    }
    return api;
  }

  /** The cluster's namespace for objects that name none. */
  defaultNamespace(clusterName: string): string {
    return findCluster(this.#clusters, clusterName, 'Kubernetes')
      .defaultNamespace;
  }

  /** Throws an `InputError` naming the configured clusters when unknown. */
  assertCluster(name: string): void {
    findCluster(this.#clusters, name, 'Kubernetes');
  }

  /** Checks that a manifest is one the platform may apply. */
  static validate(manifest: KubernetesManifest): string[] {
    const problems: string[] = [];
    const kind = Object.hasOwn(APPLICABLE_KINDS, manifest.kind)
      ? APPLICABLE_KINDS[manifest.kind]
      : undefined;
    if (!kind) {
      problems.push(
        `kind ${JSON.stringify(
          manifest.kind,
        )} is not applied by this action; allowed: ${Object.keys(
          APPLICABLE_KINDS,
        ).join(', ')}`,
      );
    } else if (manifest.apiVersion !== kind.apiVersion) {
      problems.push(
        `apiVersion of ${manifest.kind} must be ${
          kind.apiVersion
        }, got ${JSON.stringify(manifest.apiVersion)}`,
      );
    }
    for (const [field, value] of [
      ['metadata.name', manifest.metadata?.name],
      ['metadata.namespace', manifest.metadata?.namespace],
    ] as const) {
      if (
        value !== undefined &&
        (typeof value !== 'string' || !KUBERNETES_NAME.test(value))
      ) {
        problems.push(
          `${field} must be a Kubernetes name (lower-case letters, digits, "-" and "."), got ${JSON.stringify(
            value,
          )}`,
        );
      }
    }
    if (!manifest.metadata?.name) {
      problems.push('metadata.name is required');
    }
    return problems;
  }

  /**
   * Throws when the manifest is invalid or breaks the apply policy of the
   * cluster, without a request: callers check every object of a step before
   * applying the first.
   */
  check(clusterName: string, manifest: KubernetesManifest): void {
    this.#check(clusterName, manifest);
  }

  #check(clusterName: string, manifest: KubernetesManifest) {
    const cluster = findCluster(this.#clusters, clusterName, 'Kubernetes');
    const problems = KubernetesApplier.validate(manifest);
    if (problems.length > 0) {
      throw new InputError(`Invalid manifest: ${problems.join('; ')}`);
    }
    const namespace = manifest.metadata.namespace ?? cluster.defaultNamespace;
    const label = `${manifest.kind} ${namespace}/${manifest.metadata.name} on Kubernetes cluster "${cluster.name}"`;
    const refused = this.#policy.problems(cluster, namespace, manifest);
    if (refused.length > 0) {
      throw new NotAllowedError(
        `${label} breaks the apply policy: ${refused.join('; ')}`,
      );
    }
    return { cluster, namespace, label };
  }

  async apply(
    clusterName: string,
    manifest: KubernetesManifest,
    options: {
      dryRun: boolean;
      fieldManager: string;
      /** The catalog entity the object belongs to. */
      entityRef: string;
    },
  ): Promise<AppliedObject> {
    const { cluster, namespace, label } = this.#check(clusterName, manifest);
    const { crd } = APPLICABLE_KINDS[manifest.kind];
    const api = await this.#api(cluster);
    const existing = await api
      .read({
        apiVersion: manifest.apiVersion,
        kind: manifest.kind,
        metadata: { name: manifest.metadata.name, namespace },
      })
      .catch(error => {
        if (isApiError(error) && error.code === 404 && !isDiscovery(error)) {
          return undefined;
        }
        throw failure(error, 'read', label, crd);
      });
    let force = false;
    if (existing) {
      const owner = existing.metadata?.annotations?.[ANNOTATION_OWNER_ENTITY];
      if (owner !== options.entityRef) {
        throw new ConflictError(
          `${label} belongs to ${
            owner ??
            `no catalog entity (no ${ANNOTATION_OWNER_ENTITY} annotation)`
          }${owner ? `, not ${options.entityRef}` : ''}; it is not taken over`,
        );
      }
      force = (existing.metadata?.managedFields ?? []).some(
        f => f.manager === options.fieldManager && f.operation === 'Apply',
      );
    }

    const { PatchStrategy } = await loadKubernetesClient();
    const object = await api
      .patch<KubernetesObject>(
        {
          ...manifest,
          metadata: {
            ...manifest.metadata,
            namespace,
            annotations: {
              ...(manifest.metadata.annotations as Record<string, string>),
              [ANNOTATION_OWNER_ENTITY]: options.entityRef,
            },
          },
        },
        undefined,
        options.dryRun ? 'All' : undefined,
        options.fieldManager,
        force,
        PatchStrategy.ServerSideApply,
      )
      .catch(error => {
        throw failure(error, 'apply', label, crd);
      });
    let result: AppliedObject['result'] = 'created';
    if (existing) {
      result = isDeepStrictEqual(content(existing), content(object))
        ? 'unchanged'
        : 'configured';
    }
    return {
      kind: manifest.kind,
      name: object.metadata?.name ?? manifest.metadata.name,
      namespace: object.metadata?.namespace ?? namespace,
      resourceVersion: object.metadata?.resourceVersion ?? '',
      result,
      dryRun: options.dryRun,
    };
  }

  /**
   * Reads one object of the platform's kinds that belongs to `entityRef`
   * (its `streaming-platform.dev/owner-entity` annotation), in a namespace
   * the apply policy allows; `undefined` when there is none. An object of
   * another entity, or without the annotation, is refused (a catalog
   * annotation cannot point at someone else's object).
   */
  async readOwned(
    clusterName: string,
    object: { kind: string; name: string; namespace?: string },
    entityRef: string,
  ): Promise<KubernetesObject | undefined> {
    const cluster = findCluster(this.#clusters, clusterName, 'Kubernetes');
    const namespace = object.namespace ?? cluster.defaultNamespace;
    const kind = Object.hasOwn(APPLICABLE_KINDS, object.kind)
      ? APPLICABLE_KINDS[object.kind]
      : undefined;
    if (!kind || !KUBERNETES_NAME.test(object.name)) {
      throw new InputError(
        `Cannot read ${object.kind} ${JSON.stringify(
          object.name,
        )}: not a ${Object.keys(APPLICABLE_KINDS).join(
          ', ',
        )} with a Kubernetes name`,
      );
    }
    const label = `${object.kind} ${namespace}/${object.name} on Kubernetes cluster "${cluster.name}"`;
    const refused = this.#policy.problems(cluster, namespace, {
      kind: 'Namespace',
    });
    if (refused.length > 0) {
      throw new NotAllowedError(`${label}: ${refused.join('; ')}`);
    }
    const api = await this.#api(cluster);
    const found = await api
      .read({
        apiVersion: kind.apiVersion,
        kind: object.kind,
        metadata: { name: object.name, namespace },
      })
      .catch(error => {
        if (isApiError(error) && error.code === 404 && !isDiscovery(error)) {
          return undefined;
        }
        throw failure(error, 'read', label, kind.crd);
      });
    const owner = found?.metadata?.annotations?.[ANNOTATION_OWNER_ENTITY];
    if (found && owner !== entityRef) {
      throw new ConflictError(
        `${label} belongs to ${
          owner ??
          `no catalog entity (no ${ANNOTATION_OWNER_ENTITY} annotation)`
        }, not ${entityRef}`,
      );
    }
    return found;
  }

  /**
   * The platform's objects (every kind it applies) in `namespace` whose
   * `streaming-platform.dev/owner-entity` annotation names `entityRef`; the
   * namespace must be one the apply policy allows on the cluster. Another
   * entity's object, or one without the annotation, is never listed.
   */
  async listOwned(
    clusterName: string,
    namespace: string | undefined,
    entityRef: string,
  ): Promise<OwnedObject[]> {
    const cluster = findCluster(this.#clusters, clusterName, 'Kubernetes');
    const ns = namespace ?? cluster.defaultNamespace;
    const refused = this.#policy.problems(cluster, ns, { kind: 'Namespace' });
    if (refused.length > 0) {
      throw new NotAllowedError(refused.join('; '));
    }
    const api = await this.#api(cluster);
    const owned: OwnedObject[] = [];
    for (const [kind, { apiVersion, crd }] of Object.entries(
      APPLICABLE_KINDS,
    )) {
      const label = `${kind}s in ${ns} on Kubernetes cluster "${cluster.name}"`;
      let continueToken: string | undefined;
      do {
        const page = await api
          .list(
            apiVersion,
            kind,
            ns,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            500,
            continueToken,
          )
          .catch(error => {
            throw failure(error, 'list', label, crd);
          });
        for (const item of page.items) {
          if (
            item.metadata?.annotations?.[ANNOTATION_OWNER_ENTITY] === entityRef
          ) {
            owned.push({
              apiVersion,
              kind,
              name: item.metadata.name!,
              namespace: ns,
              uid: item.metadata.uid!,
            });
          }
        }
        // `_continue` when the client knows the list's type, else as sent.
        const meta = page.metadata as
          | { _continue?: string; continue?: string }
          | undefined;
        continueToken = meta?._continue || meta?.continue || undefined;
      } while (continueToken);
    }
    return owned;
  }

  /**
   * Deletes an object {@link KubernetesApplier.listOwned} found, only the
   * version it found (precondition on its uid); `dryRun` is the API
   * server's own. An object already gone answers `gone`.
   */
  async delete(
    clusterName: string,
    object: OwnedObject,
    options: { dryRun: boolean },
  ): Promise<'deleted' | 'gone'> {
    const cluster = findCluster(this.#clusters, clusterName, 'Kubernetes');
    const { crd } = APPLICABLE_KINDS[object.kind];
    const label = `${object.kind} ${object.namespace}/${object.name} on Kubernetes cluster "${cluster.name}"`;
    const api = await this.#api(cluster);
    try {
      // All options in the body: the API server reads them from the body
      // when there is one (query parameters would be ignored).
      await api.delete(
        {
          apiVersion: object.apiVersion,
          kind: object.kind,
          metadata: { name: object.name, namespace: object.namespace },
        },
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        {
          preconditions: { uid: object.uid },
          // The garbage collector deletes the driver and executor pods
          // after the object, each with its grace period (the job stops
          // gracefully).
          propagationPolicy: 'Background',
          ...(options.dryRun ? { dryRun: ['All'] } : {}),
        },
      );
      return 'deleted';
    } catch (error) {
      if (isApiError(error) && error.code === 404 && !isDiscovery(error)) {
        return 'gone';
      }
      throw failure(error, 'delete', label, crd);
    }
  }
}

/** A failure of the API discovery: the kind's CRD is not served. */
function isDiscovery(error: ApiError): boolean {
  return error.message.startsWith('Failed to fetch resource metadata');
}

const VERB_ING = {
  read: 'Reading',
  apply: 'Applying',
  list: 'Listing',
  delete: 'Deleting',
} as const;

/** The error for a failed request: what the API server said, never the request (its token). */
function failure(
  error: unknown,
  verb: 'read' | 'apply' | 'list' | 'delete',
  label: string,
  crd: string,
): Error {
  if (!isApiError(error)) {
    // The API group is served, but not this kind.
    if (/^Unrecognized API version and kind/.test((error as Error)?.message)) {
      return new NotFoundError(
        `Cannot ${verb} ${label}: the API server does not serve this kind (is the ${crd} CRD installed?)`,
      );
    }
    return new Error(
      `${VERB_ING[verb]} ${label} failed: ${
        (error as Error)?.message ?? String(error)
      }`,
    );
  }
  const message = statusMessage(error.body);
  // Server-side apply answers 500 when the body does not fit the schema's types.
  if (
    error.code === 500 &&
    message.startsWith('failed to create typed patch object')
  ) {
    return new InputError(`The API server rejected ${label}: ${message}`);
  }
  switch (error.code) {
    case 400:
    case 422:
      return new InputError(`The API server rejected ${label}: ${message}`);
    case 401:
    case 403:
      return new NotAllowedError(
        `Not allowed to ${verb} ${label} (HTTP ${error.code}): ${message}`,
      );
    case 404:
      return new NotFoundError(
        `Cannot ${verb} ${label}: ${message} (is the ${crd} CRD installed?)`,
      );
    case 409:
      return new ConflictError(
        `${
          verb === 'apply' ? 'Conflict applying' : `Conflict: cannot ${verb}`
        } ${label}: ${message}`,
      );
    default:
      return new Error(
        `${VERB_ING[verb]} ${label} failed with HTTP ${error.code}: ${message}`,
      );
  }
}

/**
 * The `message` of a Kubernetes `Status` (or the start of the body), with
 * credentials it repeats from the manifest masked.
 */
function statusMessage(body: unknown): string {
  return redactCredentials(rawStatusMessage(body));
}

function rawStatusMessage(body: unknown): string {
  let status = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      return body.slice(0, 500);
    }
  }
  const message = (status as { message?: unknown } | undefined)?.message;
  return typeof message === 'string'
    ? message
    : JSON.stringify(status ?? '').slice(0, 500);
}
