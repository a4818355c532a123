import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
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

/**
 * A pipeline's Kubernetes tab: @backstage/plugin-kubernetes-backend, configured
 * by `scripts/kubernetes.sh app-config` (the file `STREAMING_KUBERNETES=1 make
 * start` loads), lists the pipeline's SparkApplication and the driver and
 * executor pods the Spark Operator creates for it, through the service account
 * and RBAC of scripts/lib/kubernetes/backstage-rbac.yaml.
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
    await k8s?.request(
      'DELETE',
      `/apis/sparkoperator.k8s.io/v1beta2/namespaces/streaming/sparkapplications/${name}`,
    );
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

  it('lists the SparkApplication and its driver and executor pods', async () => {
    await k8s.ok(
      'PATCH',
      `/apis/sparkoperator.k8s.io/v1beta2/namespaces/streaming/sparkapplications/${name}?fieldManager=backstage-streaming`,
      {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: {
          name,
          namespace: 'streaming',
          labels: { 'backstage.io/kubernetes-id': name },
        },
        spec: {
          type: 'Python',
          mode: 'cluster',
          sparkVersion: '4.0.0',
          image: 'streaming-pipelines/user-events:latest',
          mainApplicationFile: 'local:///opt/pipeline/job/main.py',
          driver: { cores: 1, memory: '2g', serviceAccount: 'spark' },
          executor: { cores: 2, memory: '4g', instances: 1 },
        },
      },
      { contentType: 'application/apply-patch+yaml' },
    );
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
      const byType = Object.fromEntries(
        cluster.resources.map(
          (r: { type: string; resources: Array<{ metadata: any }> }) => [
            r.type,
            r.resources.map(o => o.metadata.name).sort(),
          ],
        ),
      );
      expect(byType.pods).toEqual([`${name}-7f9c-exec-1`, `${name}-driver`]);
      expect(byType.customresources).toEqual([name]);
    } finally {
      await backend.stop();
    }
  }, 120_000);
});
