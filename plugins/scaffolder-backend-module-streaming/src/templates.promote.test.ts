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
} from '@internal/plugin-streaming-node/testUtils';
import { renderEnvironmentSparkApplication } from './actions/pipelinePromote';
import {
  registerPipeline,
  specWithEnvironments,
} from './__testUtils__/pipelineEntity';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { streamingEnvironmentsPlugin } from './__testUtils__/streamingEnvironmentsPlugin';
import { loadTemplate, TEMPLATES_DIR } from './__testUtils__/templates';
import { namespacesClusterConfig } from './__testUtils__/testEnvironment';
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
  const specText = specWithEnvironments({
    name,
    namespaces: { dev: devNs, prod: prodNs },
    owner: 'user:default/mock',
    topic: 'clicks',
    prod: { resources: { executor: { cores: 2, memory: '4g', instances: 2 } } },
  });
  let k8s: TestKubernetes;
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;

  beforeAll(async () => {
    k8s = await TestKubernetes.start();
    const clusters = await namespacesClusterConfig(k8s, 'test', [
      devNs,
      prodNs,
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
    await registerPipeline(
      backend,
      dir,
      name,
      {
        [ANNOTATION_KUBERNETES_CLUSTER]: 'test',
        [ANNOTATION_PIPELINE_SPEC]: './pipeline.yaml',
      },
      { 'pipeline.yaml': specText },
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
