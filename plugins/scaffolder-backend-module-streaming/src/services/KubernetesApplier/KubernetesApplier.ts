import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import https from 'node:https';
import http from 'node:http';
import {
  KubernetesClusterConfig,
  readKubernetesClusterConfigs,
} from '@internal/plugin-streaming-node';
import { ANNOTATION_OWNER_ENTITY } from '@internal/plugin-streaming-common';
import { findCluster } from '../../config/findCluster';
import { ApplyPolicy } from './ApplyPolicy';

/** The kinds the platform applies, with their resource paths. */
const APPLICABLE_KINDS: Record<string, { apiVersion: string; plural: string }> =
  {
    SparkApplication: {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      plural: 'sparkapplications',
    },
    ScheduledSparkApplication: {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      plural: 'scheduledsparkapplications',
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

/** What the API server answered. */
export interface AppliedObject {
  kind: string;
  name: string;
  namespace: string;
  /** Empty for an object that a dry run would create. */
  resourceVersion: string;
}

type ApiResponse = { status: number; body: string };

/**
 * Server-side apply of Spark Operator objects to the Kubernetes clusters in
 * `streaming.kubernetes.clusters`, with a plain HTTPS request per object
 * (`PATCH` with `application/apply-patch+yaml`), so that a dry run is the
 * API server's own (`dryRun=All`): admission, schema and defaults included.
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

  async apply(
    clusterName: string,
    manifest: KubernetesManifest,
    options: {
      dryRun: boolean;
      fieldManager: string;
      /** The catalog entity the object belongs to. */
      entityRef: string;
      signal?: AbortSignal;
    },
  ): Promise<AppliedObject> {
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
    const { plural } = APPLICABLE_KINDS[manifest.kind];
    const [group, version] = manifest.apiVersion.split('/');
    const objectUrl = `${cluster.url.replace(
      /\/+$/,
      '',
    )}/apis/${group}/${version}/namespaces/${namespace}/${plural}/${
      manifest.metadata.name
    }`;

    const existing = await request(
      cluster,
      'GET',
      new URL(objectUrl),
      undefined,
      options.signal,
    );
    let force = false;
    if (existing.status === 200) {
      const object = JSON.parse(existing.body) as {
        metadata: {
          annotations?: Record<string, string>;
          managedFields?: Array<{ manager?: string; operation?: string }>;
        };
      };
      const owner = object.metadata.annotations?.[ANNOTATION_OWNER_ENTITY];
      if (owner !== options.entityRef) {
        throw new ConflictError(
          `${label} belongs to ${
            owner ??
            `no catalog entity (no ${ANNOTATION_OWNER_ENTITY} annotation)`
          }${owner ? `, not ${options.entityRef}` : ''}; it is not taken over`,
        );
      }
      force = (object.metadata.managedFields ?? []).some(
        f => f.manager === options.fieldManager && f.operation === 'Apply',
      );
    } else if (existing.status !== 404) {
      throw failure(existing, 'read', label);
    }

    const query = new URLSearchParams({
      fieldManager: options.fieldManager,
      ...(force ? { force: 'true' } : {}),
      ...(options.dryRun ? { dryRun: 'All' } : {}),
    });
    const body = JSON.stringify({
      ...manifest,
      metadata: {
        ...manifest.metadata,
        namespace,
        annotations: {
          ...(manifest.metadata.annotations as Record<string, string>),
          [ANNOTATION_OWNER_ENTITY]: options.entityRef,
        },
      },
    });
    const response = await request(
      cluster,
      'PATCH',
      new URL(`${objectUrl}?${query}`),
      body,
      options.signal,
    );
    if (response.status >= 200 && response.status < 300) {
      const object = JSON.parse(response.body) as KubernetesManifest & {
        metadata: { resourceVersion?: string };
      };
      return {
        kind: manifest.kind,
        name: object.metadata.name,
        namespace: object.metadata.namespace ?? namespace,
        resourceVersion: object.metadata.resourceVersion ?? '',
      };
    }
    throw failure(response, 'apply', label);
  }
}

/** The error for an API server's answer other than 2xx. */
function failure(
  response: ApiResponse,
  verb: 'read' | 'apply',
  label: string,
): Error {
  const message = statusMessage(response.body);
  // Server-side apply answers 500 when the body does not fit the schema's types.
  if (
    response.status === 500 &&
    message.startsWith('failed to create typed patch object')
  ) {
    return new InputError(`The API server rejected ${label}: ${message}`);
  }
  switch (response.status) {
    case 400:
    case 422:
      return new InputError(`The API server rejected ${label}: ${message}`);
    case 401:
    case 403:
      return new NotAllowedError(
        `Not allowed to ${verb} ${label} (HTTP ${response.status}): ${message}`,
      );
    case 404:
      return new NotFoundError(
        `Cannot ${verb} ${label}: ${message} (is the Spark Operator CRD installed?)`,
      );
    case 409:
      return new ConflictError(`Conflict applying ${label}: ${message}`);
    default:
      return new Error(
        `${
          verb === 'read' ? 'Reading' : 'Applying'
        } ${label} failed with HTTP ${response.status}: ${message}`,
      );
  }
}

function request(
  cluster: KubernetesClusterConfig,
  method: 'GET' | 'PATCH',
  url: URL,
  body: string | undefined,
  signal?: AbortSignal,
): Promise<ApiResponse> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...(body === undefined
      ? {}
      : { 'Content-Type': 'application/apply-patch+yaml' }),
  };
  if (cluster.serviceAccountToken) {
    headers.Authorization = `Bearer ${cluster.serviceAccountToken}`;
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method,
        headers,
        signal,
        timeout: 30_000,
        ...(url.protocol === 'https:'
          ? {
              ca: cluster.caData
                ? Buffer.from(cluster.caData, 'base64')
                : undefined,
              rejectUnauthorized: !cluster.skipTLSVerify,
            }
          : {}),
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`Kubernetes API request timed out: ${url.host}`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The `message` of a Kubernetes `Status`, or the start of the body. */
function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    if (typeof status.message === 'string') {
      return status.message;
    }
  } catch {
    // not JSON: fall through
  }
  return body.slice(0, 500);
}
