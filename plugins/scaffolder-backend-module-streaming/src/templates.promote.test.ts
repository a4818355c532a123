import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_PIPELINE_SPEC,
  parsePipelineSpec,
} from '@internal/plugin-streaming-common';
import catalogModuleStreaming from '@internal/plugin-catalog-backend-module-streaming';
// The test backend runs the streaming backend, whose route the action calls.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import streamingPlugin from '@internal/plugin-streaming-backend';
import {
  TestKubernetes,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import { Kafka, logLevel } from 'kafkajs';
import { renderEnvironmentSparkApplication } from './actions/pipelinePromote';
import {
  registerPipeline,
  specWithEnvironments,
} from './__testUtils__/pipelineEntity';
import { progressEvent } from './__testUtils__/progressEvent';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { loadTemplate, TEMPLATES_DIR } from './__testUtils__/templates';
import {
  createTopics,
  KAFKA_BROKERS,
  namespacesClusterConfig,
} from './__testUtils__/testEnvironment';
import { KubernetesApplier } from './services/KubernetesApplier/KubernetesApplier';

jest.setTimeout(180_000);

const IMAGE = 'registry.example.com/pipelines/promoted:v2';

/**
 * The Promote pipeline template through the real scaffolder, catalog (with
 * the streaming catalog module, which writes the pipeline's summary) and
 * streaming backends in one test backend: a pipeline with environments dev
 * and prod registered as `catalog:register` does it, its dev SparkApplication
 * RUNNING on the real Kubernetes API server with a recent micro-batch on the
 * progress topic of the local broker and no lag, so the streaming backend's
 * environments route reports dev `ok`; then dev FAILED, which it reports
 * `critical`.
 */
describe('template promote-pipeline', () => {
  const dir = createMockDirectory();
  const devNs = uniqueName('promote-dev');
  const prodNs = uniqueName('promote-prod');
  const name = uniqueName('promoted');
  const entityRef = `component:default/${name}`;
  const prodApplication = `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${prodNs}/sparkapplications/${name}`;
  const topic = uniqueName('clicks');
  const progressTopic = uniqueName('streaming.progress');
  const specText = specWithEnvironments({
    name,
    namespaces: { dev: devNs, prod: prodNs },
    owner: 'user:default/mock',
    topic,
    prod: { resources: { executor: { cores: 2, memory: '4g', instances: 2 } } },
  });
  let k8s: TestKubernetes;
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;

  /** dev as the streaming backend's environments route reports it. */
  const devHealth = async () => {
    const res = await backend.request<{
      environments: Array<{ name: string; health: string }>;
    }>('GET', `/streaming/pipelines/default/${name}/environments`);
    return res.status === 200
      ? res.body.environments.find(env => env.name === 'dev')?.health
      : undefined;
  };

  beforeAll(async () => {
    k8s = await TestKubernetes.start();
    const clusters = await namespacesClusterConfig(k8s, 'test', [
      devNs,
      prodNs,
    ]);
    // dev reads dev.<topic>: ten records, all of which its micro-batch read.
    await createTopics([
      { topic: `dev.${topic}`, numPartitions: 1 },
      { topic, numPartitions: 1 },
      { topic: progressTopic, numPartitions: 1 },
    ]);
    const kafka = new Kafka({
      clientId: 'scaffolder-test',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: `dev.${topic}`,
      messages: Array.from({ length: 10 }, (_, i) => ({
        value: JSON.stringify({ order_id: `o-${i}` }),
      })),
    });
    const streamingConfig = {
      kubernetes: clusters.streaming.kubernetes,
      scaffolder: {
        localPublish: { baseDir: dir.path },
        sparkApplications: { allowedNamespaces: [devNs, prodNs] },
      },
      progressTopic,
      progressConsumerGroup: uniqueName('backstage-progress'),
      lag: { pollInterval: '1s' },
      status: { staleAfter: '10m' },
    };
    backend = await startScaffolderTestBackend({
      kubernetes: clusters.kubernetes,
      streaming: streamingConfig,
      locations: [`${TEMPLATES_DIR}/promote-pipeline/template.yaml`],
      features: [streamingPlugin, catalogModuleStreaming],
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
    // The dev job's micro-batch, under its own key, as its publisher sends it.
    await producer.send({
      topic: progressTopic,
      messages: [
        {
          key: `${name}@dev`,
          value: JSON.stringify(
            progressEvent(`${name}@dev`, `dev.${topic}`, 10),
          ),
        },
      ],
    });
    await producer.disconnect();
    await waitFor('dev healthy in the streaming backend', devHealth, {
      until: health => health === 'ok',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
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

    // The operator reports dev's driver failed: the backend says critical.
    await k8s.setSparkApplicationStatus(devNs, name, {
      applicationState: {
        state: 'FAILED',
        errorMessage: 'driver pod failed',
      },
      driverInfo: {},
    });
    await waitFor('dev critical in the streaming backend', devHealth, {
      until: health => health === 'critical',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const refused = await backend.runTask('template:default/promote-pipeline', {
      pipeline: entityRef,
    });
    expect(refused.status).toBe('failed');
    expect(refused.log.join('\n')).toContain(
      '- health: dev is critical, not ok',
    );
    expect(refused.log.join('\n')).toContain('check health: fail');
  });
});
