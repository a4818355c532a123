import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  kubeConfigForCluster,
  loadKubernetesClient,
  readKubernetesClusterConfigs,
} from '@internal/plugin-streaming-node';
import {
  TestKubernetes,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';

const repoRoot = path.resolve(__dirname, '../../..');

type ConfigData = NonNullable<
  Parameters<typeof mockServices.rootConfig.factory>[0]
>['data'];

/** The generated manifests of an example pipeline, renamed to `name`. */
const EXAMPLE = 'user-events';
const GENERATED = [
  'spark-application.yaml',
  'table-maintenance.yaml',
  'prometheus-rule.yaml',
];

/**
 * A pipeline's Kubernetes tab: @backstage/plugin-kubernetes-backend, configured
 * by `scripts/kubernetes.sh app-config` (the file `STREAMING_KUBERNETES=1 make
 * start` loads), lists the pipeline's generated objects and the driver and
 * executor pods the Spark Operator creates for it, through the service account
 * and RBAC of scripts/lib/kubernetes/backstage-rbac.yaml. The objects are
 * applied by the streaming platform's client made from the same cluster
 * entry: one cluster list for both.
 */
describe('the Kubernetes tab of a pipeline (real Kubernetes API server)', () => {
  const name = uniqueName('tab');
  let k8s: TestKubernetes;
  let appConfig: ConfigData;

  beforeAll(async () => {
    k8s = await TestKubernetes.start();
    const { stdout } = await promisify(execFile)(
      path.join(repoRoot, 'scripts/kubernetes.sh'),
      ['app-config'],
      { cwd: repoRoot },
    );
    appConfig = JSON.parse(fs.readFileSync(stdout.trim(), 'utf8'));
  }, 20 * 60_000);

  afterAll(async () => {
    const ns = '/api/v1/namespaces/streaming/pods';
    for (const pod of [`${name}-driver`, `${name}-7f9c-exec-1`]) {
      await k8s?.request('DELETE', `${ns}/${pod}`);
    }
    for (const object of [
      `sparkoperator.k8s.io/v1beta2/namespaces/streaming/sparkapplications/${name}`,
      `sparkoperator.k8s.io/v1beta2/namespaces/streaming/scheduledsparkapplications/${name}-maint`,
      `monitoring.coreos.com/v1/namespaces/streaming/prometheusrules/${name}-alerts`,
    ]) {
      await k8s?.request('DELETE', `/apis/${object}`);
    }
  });

  /** A pod as the Spark Operator (driver) and Spark (executors) create them. */
  function sparkPod(pod: string, role: 'driver' | 'executor') {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod,
        namespace: 'streaming',
        labels: {
          'backstage.io/kubernetes-id': name,
          'spark-role': role,
          'spark-app-selector': 'spark-4f1d2c3b5a6e',
          'sparkoperator.k8s.io/app-name': name,
          'sparkoperator.k8s.io/launched-by-spark-operator': 'true',
          ...(role === 'executor' ? { 'spark-exec-id': '1' } : {}),
        },
      },
      spec: {
        serviceAccountName: 'spark',
        containers: [
          {
            name:
              role === 'driver'
                ? 'spark-kubernetes-driver'
                : 'spark-kubernetes-executor',
            image: 'streaming-pipelines/user-events:latest',
          },
        ],
      },
    };
  }

  it('lists the generated objects and the driver and executor pods of the generated backstage.io/kubernetes-id', async () => {
    // The streaming platform's client, from the cluster entry the tab uses.
    const clusters = readKubernetesClusterConfigs(new ConfigReader(appConfig));
    expect(clusters.map(c => [c.name, c.defaultNamespace])).toEqual([
      ['local', 'streaming'],
    ]);
    const client = await loadKubernetesClient();
    const api = client.KubernetesObjectApi.makeApiClient(
      await kubeConfigForCluster(clusters[0]),
    );
    for (const file of GENERATED) {
      const text = fs
        .readFileSync(
          path.join(repoRoot, 'examples/pipelines', EXAMPLE, 'deploy', file),
          'utf8',
        )
        .replaceAll(EXAMPLE, name);
      for (const object of client.loadAllYaml(text)) {
        await api.patch(
          object,
          undefined,
          undefined,
          'backstage-streaming',
          false,
          client.PatchStrategy.ServerSideApply,
        );
      }
    }
    await k8s.ok(
      'POST',
      '/api/v1/namespaces/streaming/pods',
      sparkPod(`${name}-driver`, 'driver'),
    );
    await k8s.ok(
      'POST',
      '/api/v1/namespaces/streaming/pods',
      sparkPod(`${name}-7f9c-exec-1`, 'executor'),
    );

    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: { 'backstage.io/kubernetes-id': name },
      },
      spec: {
        type: 'streaming-pipeline',
        lifecycle: 'production',
        owner: 'team-a',
      },
    };
    const backend = await startTestBackend({
      features: [
        import('@backstage/plugin-kubernetes-backend'),
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({ data: appConfig }),
      ],
    });
    try {
      const response = await request(backend.server)
        .post(`/api/kubernetes/services/${name}`)
        .set('Authorization', mockCredentials.user.header())
        .send({
          entity: {
            kind: 'Component',
            metadata: { name, namespace: 'default' },
          },
        });
      expect(response.status).toBe(200);
      const [cluster] = response.body.items;
      expect(cluster.cluster.name).toBe('local');
      expect(cluster.errors).toEqual([]);
      // One answer per resource type; each custom resource is one more `customresources`.
      const byType: Record<string, string[]> = {};
      for (const r of cluster.resources as Array<{
        type: string;
        resources: Array<{ metadata: { name: string } }>;
      }>) {
        byType[r.type] = [
          ...(byType[r.type] ?? []),
          ...r.resources.map(o => o.metadata.name),
        ].sort();
      }
      expect(byType.pods).toEqual([`${name}-7f9c-exec-1`, `${name}-driver`]);
      expect(byType.customresources).toEqual([
        name,
        `${name}-alerts`,
        `${name}-maint`,
      ]);
    } finally {
      await backend.stop();
    }
  }, 120_000);
});
