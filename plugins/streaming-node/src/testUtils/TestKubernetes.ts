import fs from 'node:fs';
import https from 'node:https';
import { runRepoScript } from './runRepoScript';
import { uniqueName } from './uniqueName';

/** One RBAC rule of a test service account's Role. */
export interface TestRbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** A cluster of this server as a test configures it: a name, whose token, its default namespace. */
export interface TestKubernetesCluster {
  name: string;
  serviceAccountToken: string;
  defaultNamespace?: string;
}

/** An answer of the API server. */
export interface TestKubernetesResponse {
  status: number;
  /** Parsed JSON, or the text when the answer is not JSON. */
  body: unknown;
}

interface Kubeconfig {
  clusters: Array<{
    cluster: { server: string; 'certificate-authority': string };
  }>;
  users: Array<{ user: { token: string } }>;
}

/**
 * The real Kubernetes API server of `scripts/kubernetes.sh` (kube-apiserver
 * and etcd on loopback, RBAC, the Spark Operator CRDs), for tests. `start`
 * builds it on first use and starts it when it is not running; tests never
 * stop it. Each test file works in namespaces of its own ({@link uniqueName}).
 *
 * @public
 */
export class TestKubernetes {
  /** Base64 PEM of the serving certificate, as `caData` in cluster config. */
  readonly caData: string;
  readonly #ca: Buffer;

  private constructor(
    /** The API server's URL. */
    readonly url: string,
    ca: Buffer,
    readonly adminToken: string,
  ) {
    this.#ca = ca;
    this.caData = ca.toString('base64');
  }

  /**
   * Starts the server through `scripts/kubernetes.sh start` (idempotent)
   * and reads its admin kubeconfig. A server that cannot be built or started
   * fails the test that asked for it.
   */
  static async start(): Promise<TestKubernetes> {
    let kubeconfigPath: string;
    try {
      const stdout = await runRepoScript(
        'kubernetes.sh',
        ['start'],
        20 * 60_000,
      );
      kubeconfigPath = stdout.split('\n').pop()!;
    } catch (error) {
      throw new Error(
        `the Kubernetes tests need a real API server: ${
          (error as Error).message
        }`,
      );
    }
    const kubeconfig = JSON.parse(
      fs.readFileSync(kubeconfigPath, 'utf8'),
    ) as Kubeconfig;
    const { cluster } = kubeconfig.clusters[0];
    return new TestKubernetes(
      cluster.server,
      fs.readFileSync(cluster['certificate-authority']),
      kubeconfig.users[0].user.token,
    );
  }

  /**
   * App-config for clusters of this server, in the one place the Kubernetes
   * tab and the streaming platform read them: the Kubernetes plugin's
   * `kubernetes.clusterLocatorMethods` (type `config`) and the platform's
   * `streaming.kubernetes.clusters[]` settings.
   */
  appConfig(clusters: TestKubernetesCluster[]): {
    kubernetes: {
      serviceLocatorMethod: { type: string };
      clusterLocatorMethods: Array<{
        type: string;
        clusters: Array<{
          name: string;
          url: string;
          authProvider: string;
          serviceAccountToken: string;
          caData: string;
          skipMetricsLookup: boolean;
        }>;
      }>;
    };
    streaming: {
      kubernetes: {
        clusters: Array<{ name: string; defaultNamespace: string }>;
      };
    };
  } {
    return {
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: clusters.map(cluster => ({
              name: cluster.name,
              url: this.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: cluster.serviceAccountToken,
              caData: this.caData,
              skipMetricsLookup: true,
            })),
          },
        ],
      },
      streaming: {
        kubernetes: {
          clusters: clusters.flatMap(({ name, defaultNamespace }) =>
            defaultNamespace ? [{ name, defaultNamespace }] : [],
          ),
        },
      },
    };
  }

  /** A request as the admin (or as the holder of `token`). */
  request(
    method: string,
    apiPath: string,
    body?: unknown,
    options: { token?: string; contentType?: string } = {},
  ): Promise<TestKubernetesResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(apiPath, this.url),
        {
          method,
          ca: this.#ca,
          headers: {
            Accept: 'application/json',
            Authorization: `Bearer ${options.token ?? this.adminToken}`,
            ...(payload
              ? {
                  'Content-Type': options.contentType ?? 'application/json',
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like {@link TestKubernetes.request}, failing unless the answer is 2xx. */
  async ok<T = unknown>(
    method: string,
    apiPath: string,
    body?: unknown,
    options: { token?: string; contentType?: string } = {},
  ): Promise<T> {
    const response = await this.request(method, apiPath, body, options);
    if (response.status < 200 || response.status >= 300) {
      throw new Error(
        `${method} ${apiPath} answered ${response.status}: ${JSON.stringify(
          response.body,
        )}`,
      );
    }
    return response.body as T;
  }

  /** Creates namespaces (each with the `default` service account pods need). */
  async createNamespaces(...names: string[]): Promise<void> {
    for (const name of names) {
      await this.ok('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      });
      await this.ok('POST', `/api/v1/namespaces/${name}/serviceaccounts`, {
        metadata: { name: 'default' },
      });
    }
  }

  /** Deletes namespaces (the server deletes what they hold in the background). */
  async deleteNamespaces(...names: string[]): Promise<void> {
    for (const name of names) {
      await this.request('DELETE', `/api/v1/namespaces/${name}`);
    }
  }

  /**
   * A service account in `namespace` whose Role and RoleBinding in each of
   * `grants`' namespaces allow exactly the given rules; returns a token of
   * it (TokenRequest API, one hour).
   */
  async serviceAccountToken(
    namespace: string,
    name: string,
    grants: Record<string, TestRbacRule[]>,
  ): Promise<string> {
    await this.ok('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, {
      metadata: { name },
    });
    for (const [grantNamespace, rules] of Object.entries(grants)) {
      const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${grantNamespace}`;
      await this.ok('POST', `${rbac}/roles`, { metadata: { name }, rules });
      await this.ok('POST', `${rbac}/rolebindings`, {
        metadata: { name },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name,
        },
        subjects: [{ kind: 'ServiceAccount', name, namespace }],
      });
    }
    const answer = await this.ok<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    );
    return answer.status.token;
  }

  /**
   * Writes a SparkApplication's `status` subresource the way the Spark
   * Operator's controller does (it replaces the whole status).
   */
  async setSparkApplicationStatus(
    namespace: string,
    name: string,
    status: Record<string, unknown>,
  ): Promise<void> {
    const resource = `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${namespace}/sparkapplications/${name}`;
    const current = await this.ok<object>('GET', resource);
    await this.ok('PUT', `${resource}/status`, { ...current, status });
  }
}
