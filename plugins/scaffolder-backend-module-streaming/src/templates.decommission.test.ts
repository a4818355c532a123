import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_OWNER_ENTITY,
  ANNOTATION_SPARK_APPLICATION,
} from '@internal/plugin-streaming-common';
import {
  TestKubernetes,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import { registerPipeline } from './__testUtils__/pipelineEntity';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { loadTemplate, TEMPLATES_DIR } from './__testUtils__/templates';
import {
  namespacesClusterConfig,
  SPARK_APPLICATION_APPLY_RULES,
} from './__testUtils__/testEnvironment';

jest.setTimeout(180_000);

/**
 * The Decommission pipeline template through the real scaffolder and
 * catalog backends: a pipeline registered as `catalog:register` does it,
 * its SparkApplication on the real Kubernetes API server.
 */
describe('template decommission-pipeline', () => {
  const dir = createMockDirectory();
  const namespace = uniqueName('retire');
  const name = uniqueName('retired');
  const entityRef = `component:default/${name}`;
  const resource = `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${namespace}/sparkapplications/${name}`;
  let k8s: TestKubernetes;
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;

  const entityExists = async () =>
    (
      await backend.request(
        'GET',
        `/catalog/entities/by-name/component/default/${name}`,
      )
    ).status === 200;

  beforeAll(async () => {
    k8s = await TestKubernetes.start();
    const clusters = await namespacesClusterConfig(
      k8s,
      'test',
      [namespace],
      SPARK_APPLICATION_APPLY_RULES.map(rule => ({
        ...rule,
        verbs: [...rule.verbs, 'list', 'delete'],
      })),
    );
    backend = await startScaffolderTestBackend({
      kubernetes: clusters.kubernetes,
      streaming: {
        kubernetes: clusters.streaming.kubernetes,
        // The UrlReader for local repositories reads `file:` URLs in here.
        scaffolder: { localPublish: { baseDir: dir.path } },
      },
      locations: [`${TEMPLATES_DIR}/decommission-pipeline/template.yaml`],
    });
    await k8s.ok(
      'PATCH',
      `${resource}?fieldManager=backstage-streaming`,
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
          sparkVersion: '4.0.0',
          mainApplicationFile: 'local:///opt/pipeline/job.py',
          driver: { serviceAccount: 'spark' },
          executor: { instances: 1 },
        },
      },
      { contentType: 'application/apply-patch+yaml' },
    );
    // As catalog:register does with streaming:publish:local's URL.
    await registerPipeline(backend, dir, name, {
      [ANNOTATION_KUBERNETES_CLUSTER]: 'test',
      [ANNOTATION_SPARK_APPLICATION]: `${namespace}/${name}`,
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await k8s?.deleteNamespaces(namespace);
  });

  it('in dry run lists the plan and changes nothing', async () => {
    const { status, body } = await backend.dryRun(
      loadTemplate('decommission-pipeline'),
      { pipeline: entityRef, confirmation: name },
    );
    expect(status).toBe(200);
    expect(body.log.filter(l => l.body.status === 'failed')).toEqual([]);
    const text = JSON.stringify(body.output);
    expect(text).toContain('Dry run: nothing was changed.');
    expect(text).toContain(
      `| SparkApplication | ${namespace}/${name} | would delete |`,
    );
    expect(text).toContain('| CatalogLocation |');
    expect(text).toContain('would unregister');
    expect((await k8s.request('GET', resource)).status).toBe(200);
    expect(await entityExists()).toBe(true);
  });

  it('fails on a wrong confirmation, changing nothing', async () => {
    const { status, body } = await backend.dryRun(
      loadTemplate('decommission-pipeline'),
      { pipeline: entityRef, confirmation: 'not-the-name' },
    );
    expect(status).toBe(400);
    expect(body.error?.message).toContain(
      `type the pipeline's name "${name}" to decommission it`,
    );
    expect((await k8s.request('GET', resource)).status).toBe(200);
    expect(await entityExists()).toBe(true);
  });

  it('as a task deletes the SparkApplication and unregisters the pipeline', async () => {
    const task = await backend.runTask(
      'template:default/decommission-pipeline',
      { pipeline: entityRef, confirmation: name },
    );
    expect(task.status).toBe('completed');
    expect(JSON.stringify(task.output)).toContain(
      `| SparkApplication | ${namespace}/${name} | deleted |`,
    );
    expect((await k8s.request('GET', resource)).status).toBe(404);
    await waitFor(`${entityRef} to leave the catalog`, async () =>
      (await entityExists()) ? undefined : true,
    );
  });
});
