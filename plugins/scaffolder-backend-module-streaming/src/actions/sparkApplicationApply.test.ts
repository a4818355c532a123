import { createMockDirectory } from '@backstage/backend-test-utils';
import { stringify } from 'yaml';
import { KubernetesApiStandIn } from '../__testUtils__/KubernetesApiStandIn';
import { invokeAction } from '../__testUtils__/invokeAction';
import { runExample } from '../__testUtils__/runExample';
import { streamingConfig } from '../__testUtils__/testEnvironment';
import { KubernetesApplier } from '../services/KubernetesApplier/KubernetesApplier';
import { createSparkApplicationApplyAction } from './sparkApplicationApply';
import { examples } from './sparkApplicationApply.examples';

const TOKEN = 'stand-in-service-account-token';

function sparkApplication(overrides: Record<string, unknown> = {}) {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'orders-to-delta', labels: { app: 'orders-to-delta' } },
    spec: {
      type: 'Python',
      mode: 'cluster',
      pythonVersion: '3',
      sparkVersion: '4.0.0',
      image: 'spark:4.0.0-python3',
      mainApplicationFile: 'local:///opt/pipeline/job.py',
      restartPolicy: { type: 'Always' },
      driver: { cores: 1, memory: '2g', serviceAccount: 'spark' },
      executor: { cores: 2, memory: '4g', instances: 2 },
      ...overrides,
    },
  };
}

describe('streaming:sparkApplication:apply (Kubernetes API stand-in)', () => {
  const api = new KubernetesApiStandIn(TOKEN);
  const dir = createMockDirectory();
  let action: ReturnType<typeof createSparkApplicationApplyAction>;

  beforeAll(async () => {
    const url = await api.start();
    const config = streamingConfig({
      kubernetes: {
        clusters: [
          { name: 'staging', url, serviceAccountToken: TOKEN },
          { name: 'wrong-token', url, serviceAccountToken: 'nope' },
        ],
      },
    });
    action = createSparkApplicationApplyAction({
      applier: KubernetesApplier.fromConfig(config),
    });
  });

  afterAll(() => api.stop());

  beforeEach(() => {
    api.objects.clear();
    dir.clear();
  });

  function workspace(documents: unknown[]) {
    dir.setContent({
      'deploy/sparkapplication.yaml': documents
        .map(d => stringify(d))
        .join('---\n'),
    });
    return dir.path;
  }

  const apply = (
    input: Record<string, string>,
    documents: unknown[],
    isDryRun = false,
  ) =>
    invokeAction(
      action,
      { manifestPath: 'deploy/sparkapplication.yaml', ...input },
      { workspacePath: workspace(documents), isDryRun },
    );

  it('applies server-side and outputs name, namespace and resourceVersion', async () => {
    const outputs = await apply({ cluster: 'staging' }, [sparkApplication()]);
    expect(outputs).toEqual({
      name: 'orders-to-delta',
      namespace: 'default',
      resourceVersion: '1001',
      applied: [
        {
          kind: 'SparkApplication',
          name: 'orders-to-delta',
          namespace: 'default',
          resourceVersion: '1001',
        },
      ],
    });
    expect(
      api.objects.get('sparkapplications/default/orders-to-delta')?.spec,
    ).toEqual(sparkApplication().spec);
    const [request] = api.requests.slice(-1);
    expect(request.method).toBe('PATCH');
    expect(request.url).toContain('fieldManager=backstage-streaming');
    expect(request.url).toContain('force=true');
  });

  it('is idempotent: the same manifest again keeps the resourceVersion', async () => {
    const first = await apply({ cluster: 'staging', namespace: 'data' }, [
      sparkApplication(),
    ]);
    const second = await apply({ cluster: 'staging', namespace: 'data' }, [
      sparkApplication(),
    ]);
    expect(second.resourceVersion).toBe(first.resourceVersion);
    expect(second.namespace).toBe('data');
    const changed = await apply({ cluster: 'staging', namespace: 'data' }, [
      sparkApplication({ executor: { cores: 2, memory: '4g', instances: 4 } }),
    ]);
    expect(Number(changed.resourceVersion)).toBeGreaterThan(
      Number(first.resourceVersion),
    );
  });

  it('uses the server dry run in dry run and stores nothing', async () => {
    const outputs = await apply(
      { cluster: 'staging' },
      [sparkApplication()],
      true,
    );
    expect(outputs.resourceVersion).toBe('');
    expect(api.requests.slice(-1)[0].url).toContain('dryRun=All');
    expect(api.objects.size).toBe(0);
  });

  it('reports what the API server finds invalid against the CRD schema', async () => {
    await expect(
      apply({ cluster: 'staging' }, [
        sparkApplication({ type: 'Cobol', executor: { instances: 'many' } }),
      ]),
    ).rejects.toThrow(
      /The API server rejected SparkApplication default\/orders-to-delta on Kubernetes cluster "staging": .*spec\.type: must be equal to one of the allowed values/,
    );
  });

  it('fails clearly without the right token, and never logs or outputs it', async () => {
    const promise = apply({ cluster: 'wrong-token' }, [sparkApplication()]);
    await expect(promise).rejects.toThrow(
      'Not allowed to apply SparkApplication default/orders-to-delta on Kubernetes cluster "wrong-token" (HTTP 401)',
    );
    await expect(promise).rejects.not.toThrow('nope');
  });

  it.each([
    [
      'another kind',
      [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }],
      'kind "Secret" is not applied by this action',
    ],
    [
      'a hostile name',
      [{ ...sparkApplication(), metadata: { name: '../../secrets' } }],
      'metadata.name must be a Kubernetes name',
    ],
    ['no SparkApplication', [], 'holds no SparkApplication'],
  ])('rejects a file with %s', async (_label, documents, message) => {
    await expect(apply({ cluster: 'staging' }, documents)).rejects.toThrow(
      message,
    );
    expect(api.objects.size).toBe(0);
  });

  it('rejects unknown clusters and paths outside the workspace', async () => {
    await expect(
      apply({ cluster: 'prod' }, [sparkApplication()]),
    ).rejects.toThrow(
      'No Kubernetes cluster named "prod"; configured: staging, wrong-token',
    );
    await expect(
      apply({ cluster: 'staging', manifestPath: '../../etc/passwd' }, [
        sparkApplication(),
      ]),
    ).rejects.toThrow(/outside/);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const rendered = example.replaceAll(
        '${{ parameters.kubernetesCluster }}',
        'staging',
      );
      const [outputs] = await runExample(action, rendered, {
        workspacePath: workspace([sparkApplication()]),
      });
      expect(outputs.name).toBe('orders-to-delta');
      expect(outputs.resourceVersion).toMatch(/^\d+$/);
    },
  );
});
