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
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { loadTemplate, TEMPLATES_DIR } from './__testUtils__/templates';
import { SPARK_APPLICATION_APPLY_RULES } from './__testUtils__/testEnvironment';

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
    await k8s.createNamespaces(namespace);
    const token = await k8s.serviceAccountToken(namespace, 'backstage', {
      [namespace]: SPARK_APPLICATION_APPLY_RULES.map(rule => ({
        ...rule,
        verbs: [...rule.verbs, 'list', 'delete'],
      })),
    });
    const clusters = k8s.appConfig([
      { name: 'test', serviceAccountToken: token, defaultNamespace: namespace },
    ]);
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
    dir.setContent({
      'catalog-info.yaml': stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          annotations: {
            [ANNOTATION_KUBERNETES_CLUSTER]: 'test',
            [ANNOTATION_SPARK_APPLICATION]: `${namespace}/${name}`,
          },
        },
        // The test backend's caller.
        spec: {
          type: 'streaming-pipeline',
          lifecycle: 'production',
          owner: 'user:default/mock',
        },
      }),
    });
    // As catalog:register does with streaming:publish:local's URL.
    const registered = await backend.request('POST', '/catalog/locations', {
      type: 'url',
      target: pathToFileURL(dir.resolve('catalog-info.yaml')).href,
    });
    if (registered.status !== 201) {
      throw new Error(`not registered: ${JSON.stringify(registered.body)}`);
    }
    await waitFor(`${entityRef} in the catalog`, async () =>
      (await entityExists()) ? true : undefined,
    );
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
