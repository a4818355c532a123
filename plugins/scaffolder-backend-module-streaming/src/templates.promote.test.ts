import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_PIPELINE_SPEC,
  parsePipelineSpec,
} from '@internal/plugin-streaming-common';
import {
  TestKubernetes,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { renderEnvironmentSparkApplication } from './actions/pipelinePromote';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { streamingEnvironmentsPlugin } from './__testUtils__/streamingEnvironmentsPlugin';
import { loadTemplate, TEMPLATES_DIR } from './__testUtils__/templates';
import { SPARK_APPLICATION_APPLY_RULES } from './__testUtils__/testEnvironment';
import { KubernetesApplier } from './services/KubernetesApplier/KubernetesApplier';

jest.setTimeout(180_000);

const IMAGE = 'registry.example.com/pipelines/promoted:v2';

/**
 * The Promote pipeline template through the real scaffolder and catalog
 * backends: a pipeline with environments dev and prod registered as
 * `catalog:register` does it, its dev SparkApplication RUNNING on the real
 * Kubernetes API server, and the streaming backend's environments route
 * (a stand-in plugin of that id in the same backend) saying dev is healthy.
 */
describe('template promote-pipeline', () => {
  const dir = createMockDirectory();
  const devNs = uniqueName('promote-dev');
  const prodNs = uniqueName('promote-prod');
  const name = uniqueName('promoted');
  const entityRef = `component:default/${name}`;
  const prodApplication = `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${prodNs}/sparkapplications/${name}`;
  const streaming = streamingEnvironmentsPlugin();
  const specText = `pipeline:
  name: ${name}
  owner: user:default/mock
  source:
    type: kafka
    topic: clicks
    format: json
    fields:
      - { name: id, type: string }
  sink:
    type: delta
    path: /data/delta/clicks
    mode: append
    checkpoint: /checkpoints/${name}
  environments:
    - name: dev
      namespace: ${devNs}
      table_prefix: dev_
    - name: prod
      namespace: ${prodNs}
      resources:
        executor: { cores: 2, memory: 4g, instances: 2 }
`;
  let k8s: TestKubernetes;
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;

  beforeAll(async () => {
    k8s = await TestKubernetes.start();
    await k8s.createNamespaces(devNs, prodNs);
    const token = await k8s.serviceAccountToken(devNs, 'backstage', {
      [devNs]: SPARK_APPLICATION_APPLY_RULES,
      [prodNs]: SPARK_APPLICATION_APPLY_RULES,
    });
    const clusters = k8s.appConfig([
      { name: 'test', serviceAccountToken: token, defaultNamespace: devNs },
    ]);
    const streamingConfig = {
      kubernetes: clusters.streaming.kubernetes,
      scaffolder: {
        localPublish: { baseDir: dir.path },
        sparkApplications: { allowedNamespaces: [devNs, prodNs] },
      },
    };
    backend = await startScaffolderTestBackend({
      kubernetes: clusters.kubernetes,
      streaming: streamingConfig,
      locations: [`${TEMPLATES_DIR}/promote-pipeline/template.yaml`],
      features: [streaming.plugin],
    });
    // dev runs version v2, applied for the pipeline as its deploy step does.
    const dev = renderEnvironmentSparkApplication(
      parsePipelineSpec(specText).spec!,
      'dev',
      { image: IMAGE, kubernetesCluster: 'test' },
    );
    await KubernetesApplier.fromConfig(
      mockServices.rootConfig({
        data: { kubernetes: clusters.kubernetes, streaming: streamingConfig },
      }),
    ).apply('test', dev, {
      dryRun: false,
      fieldManager: 'backstage-streaming',
      entityRef,
    });
    await k8s.setSparkApplicationStatus(devNs, name, {
      applicationState: { state: 'RUNNING' },
      driverInfo: {},
    });
    streaming.environments.set(entityRef, [
      { name: 'dev', namespace: devNs, health: 'ok' },
      { name: 'prod', namespace: prodNs, health: 'unknown' },
    ]);
    dir.setContent({
      'pipeline.yaml': specText,
      'catalog-info.yaml': stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          annotations: {
            [ANNOTATION_KUBERNETES_CLUSTER]: 'test',
            [ANNOTATION_PIPELINE_SPEC]: './pipeline.yaml',
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
    const registered = await backend.request('POST', '/catalog/locations', {
      type: 'url',
      target: pathToFileURL(dir.resolve('catalog-info.yaml')).href,
    });
    if (registered.status !== 201) {
      throw new Error(`not registered: ${JSON.stringify(registered.body)}`);
    }
    await waitFor(`${entityRef} in the catalog`, async () =>
      (
        await backend.request(
          'GET',
          `/catalog/entities/by-name/component/default/${name}`,
        )
      ).status === 200
        ? true
        : undefined,
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await k8s?.deleteNamespaces(devNs, prodNs);
  });

  it('with Dry run ticked shows the checks and the plan and applies nothing', async () => {
    const task = await backend.runTask('template:default/promote-pipeline', {
      pipeline: entityRef,
      dryRun: true,
    });
    expect(task.status).toBe('completed');
    const text = JSON.stringify(task.output);
    expect(text).toContain('Dry run: nothing was applied');
    expect(text).toContain(`${prodNs}/${name}`);
    expect(text).toContain('| health | pass | dev is healthy (ok) |');
    expect(task.log.join('\n')).toContain('check running: pass');
    expect((await k8s.request('GET', prodApplication)).status).toBe(404);
  });

  it('in the template editor’s dry run applies nothing either', async () => {
    const { status, body } = await backend.dryRun(
      loadTemplate('promote-pipeline'),
      { pipeline: entityRef, from: 'dev', to: 'prod' },
    );
    expect(status).toBe(200);
    expect(body.log.filter(l => l.body.status === 'failed')).toEqual([]);
    expect(JSON.stringify(body.output)).toContain(
      'Dry run: nothing was applied',
    );
    expect((await k8s.request('GET', prodApplication)).status).toBe(404);
  });

  it('as a task promotes dev to prod; refused while dev is unhealthy', async () => {
    const task = await backend.runTask('template:default/promote-pipeline', {
      pipeline: entityRef,
      from: 'dev',
    });
    expect(task.status).toBe('completed');
    expect(JSON.stringify(task.output)).toContain(
      `Promoted ${entityRef} from dev to prod`,
    );
    const prod = (await k8s.ok<any>('GET', prodApplication)) as any;
    expect(prod.spec.image).toBe(IMAGE);
    expect(prod.metadata.labels['streaming-platform.dev/environment']).toBe(
      'prod',
    );
    expect(prod.spec.executor).toMatchObject({ cores: 2, instances: 2 });

    streaming.environments.set(entityRef, [
      { name: 'dev', namespace: devNs, health: 'warning' },
      { name: 'prod', namespace: prodNs, health: 'ok' },
    ]);
    const refused = await backend.runTask('template:default/promote-pipeline', {
      pipeline: entityRef,
    });
    expect(refused.status).toBe('failed');
    expect(refused.log.join('\n')).toContain(
      '- health: dev is warning, not ok',
    );
    expect(refused.log.join('\n')).toContain('check health: fail');
  });
});
