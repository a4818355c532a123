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
import { findCluster } from '../../config/findCluster';

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

/**
 * Server-side apply of Spark Operator objects to the Kubernetes clusters in
 * `streaming.kubernetes.clusters`, with a plain HTTPS request per object
 * (`PATCH` with `application/apply-patch+yaml`), so that a dry run is the
 * API server's own (`dryRun=All`): admission, schema and defaults included.
 */
export class KubernetesApplier {
  readonly #clusters: KubernetesClusterConfig[];

  static fromConfig(config: Config): KubernetesApplier {
    return new KubernetesApplier(readKubernetesClusterConfigs(config));
  }

  private constructor(clusters: KubernetesClusterConfig[]) {
    this.#clusters = clusters;
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
    options: { dryRun: boolean; fieldManager: string; signal?: AbortSignal },
  ): Promise<AppliedObject> {
    const cluster = findCluster(this.#clusters, clusterName, 'Kubernetes');
    const problems = KubernetesApplier.validate(manifest);
    if (problems.length > 0) {
      throw new InputError(`Invalid manifest: ${problems.join('; ')}`);
    }
    const namespace = manifest.metadata.namespace ?? cluster.defaultNamespace;
    const { plural } = APPLICABLE_KINDS[manifest.kind];
    const [group, version] = manifest.apiVersion.split('/');
    const query = new URLSearchParams({
      fieldManager: options.fieldManager,
      force: 'true',
      ...(options.dryRun ? { dryRun: 'All' } : {}),
    });
    const url = new URL(
      `${cluster.url.replace(
        /\/+$/,
        '',
      )}/apis/${group}/${version}/namespaces/${namespace}/${plural}/${
        manifest.metadata.name
      }?${query}`,
    );
    const body = JSON.stringify({
      ...manifest,
      metadata: { ...manifest.metadata, namespace },
    });
    const label = `${manifest.kind} ${namespace}/${manifest.metadata.name} on Kubernetes cluster "${cluster.name}"`;
    const response = await request(cluster, url, body, options.signal);
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
    const message = statusMessage(response.body);
    switch (response.status) {
      case 400:
      case 422:
        throw new InputError(`The API server rejected ${label}: ${message}`);
      case 401:
      case 403:
        throw new NotAllowedError(
          `Not allowed to apply ${label} (HTTP ${response.status}): ${message}`,
        );
      case 404:
        throw new NotFoundError(
          `Cannot apply ${label}: ${message} (is the Spark Operator CRD installed?)`,
        );
      case 409:
        throw new ConflictError(`Conflict applying ${label}: ${message}`);
      default:
        throw new Error(
          `Applying ${label} failed with HTTP ${response.status}: ${message}`,
        );
    }
  }
}

function request(
  cluster: KubernetesClusterConfig,
  url: URL,
  body: string,
  signal?: AbortSignal,
): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/apply-patch+yaml',
    Accept: 'application/json',
  };
  if (cluster.serviceAccountToken) {
    headers.Authorization = `Bearer ${cluster.serviceAccountToken}`;
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: 'PATCH',
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
