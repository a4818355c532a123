import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_OWNER_ENTITY,
  ANNOTATION_SPARK_APPLICATION,
} from '@internal/plugin-streaming-common';
import {
  TestKubernetes,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { registerPipeline } from './__testUtils__/pipelineEntity';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { loadTemplate, TEMPLATES_DIR } from './__testUtils__/templates';
import { namespacesClusterConfig } from './__testUtils__/testEnvironment';

jest.setTimeout(180_000);

/**
 * The Backfill pipeline template through the real scaffolder and catalog
 * backends: a pipeline registered as `catalog:register` does it, its
 * SparkApplication on the real Kubernetes API server.
 */
describe('template backfill-pipeline', () => {
  const dir = createMockDirectory();
  const namespace = uniqueName('backfill');
  const name = uniqueName('refilled');
  const entityRef = `component:default/${name}`;
  const sparkApplications = `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${namespace}/sparkapplications`;
  const backfill = `${sparkApplications}/${name}-backfill-fix-1`;
  const values = {
    pipeline: entityRef,
    backfillId: 'fix-1',
    from: '{"0": 100}',
    to: '{"0": 250}',
  };
  let k8s: TestKubernetes;
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;

  beforeAll(async () => {
    k8s = await TestKubernetes.start();
    const clusters = await namespacesClusterConfig(k8s, 'test', [namespace]);
    backend = await startScaffolderTestBackend({
      kubernetes: clusters.kubernetes,
      streaming: {
        kubernetes: clusters.streaming.kubernetes,
        scaffolder: { localPublish: { baseDir: dir.path } },
      },
      locations: [`${TEMPLATES_DIR}/backfill-pipeline/template.yaml`],
    });
    await k8s.ok(
      'PATCH',
      `${sparkApplications}/${name}?fieldManager=backstage-streaming`,
      {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: {
          name,
          namespace,
          annotations: { [ANNOTATION_OWNER_ENTITY]: entityRef },
        },
        spec: {
          type: 'Python',
          mode: 'cluster',
          image: 'streaming-pipelines/refilled:1',
          sparkVersion: '4.0.0',
          mainApplicationFile: 'local:///opt/pipeline/job/main.py',
          driver: { serviceAccount: 'spark' },
          executor: { instances: 1 },
        },
      },
      { contentType: 'application/apply-patch+yaml' },
    );
    await registerPipeline(backend, dir, name, {
      [ANNOTATION_KUBERNETES_CLUSTER]: 'test',
      [ANNOTATION_SPARK_APPLICATION]: `${namespace}/${name}`,
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await k8s?.deleteNamespaces(namespace);
  });

  it('in dry run shows the plan and creates nothing', async () => {
    const { status, body } = await backend.dryRun(
      loadTemplate('backfill-pipeline'),
      values,
    );
    expect(status).toBe(200);
    expect(body.log.filter(l => l.body.status === 'failed')).toEqual([]);
    const text = JSON.stringify(body.output);
    expect(text).toContain('Dry run: nothing was created.');
    expect(text).toContain(
      `${namespace}/${name}-backfill-fix-1 | would create`,
    );
    expect((await k8s.request('GET', backfill)).status).toBe(404);
  });

  it('as a task creates the backfill SparkApplication; the same backfill again is a no-op', async () => {
    const task = await backend.runTask(
      'template:default/backfill-pipeline',
      values,
    );
    expect(task.status).toBe('completed');
    expect(JSON.stringify(task.output)).toContain(
      `${namespace}/${name}-backfill-fix-1 | created`,
    );
    const created = await k8s.request('GET', backfill);
    expect(created.status).toBe(200);
    const object = created.body as any;
    expect(object.spec.image).toBe('streaming-pipelines/refilled:1');
    expect(object.spec.restartPolicy).toEqual({ type: 'Never' });
    expect(object.spec.driver.env).toEqual([
      { name: 'PIPELINE_BACKFILL_ID', value: 'fix-1' },
      { name: 'PIPELINE_BACKFILL_FROM', value: '{"0": 100}' },
      { name: 'PIPELINE_BACKFILL_TO', value: '{"0": 250}' },
    ]);

    const again = await backend.runTask(
      'template:default/backfill-pipeline',
      values,
    );
    expect(again.status).toBe('completed');
    expect(JSON.stringify(again.output)).toContain(
      `${namespace}/${name}-backfill-fix-1 | exists`,
    );
  });
});
