import { HostDiscovery } from '@backstage/backend-defaults/discovery';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  ServiceFactoryTester,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, UserEntity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_PIPELINE_SPEC,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_PIPELINE_SUMMARY_LOCATION,
  parsePipelineSpec,
  toPipelineSummary,
} from '@internal/plugin-streaming-common';
// The test backend runs the streaming backend, whose route the action calls.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import streamingPlugin from '@internal/plugin-streaming-backend';
import { loadKubernetesClient } from '@internal/plugin-streaming-node';
import {
  TestKubernetes,
  uniqueName,
  waitFor,
} from '@internal/plugin-streaming-node/testUtils';
import { Kafka, logLevel } from 'kafkajs';
import fs from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invokeAction, InvokeOptions } from '../__testUtils__/invokeAction';
import { runExample } from '../__testUtils__/runExample';
import {
  pipelineEntity,
  specWithEnvironments,
} from '../__testUtils__/pipelineEntity';
import { progressEvent } from '../__testUtils__/progressEvent';
import {
  createTopics,
  KAFKA_BROKERS,
  namespacesClusterConfig,
  readSparkApplication,
} from '../__testUtils__/testEnvironment';
import { localRepoUrlReaderFactory } from '../services/LocalRepoUrlReader/localRepoUrlReaderFactory';
import { KubernetesApplier } from '../services/KubernetesApplier/KubernetesApplier';
import {
  createPipelinePromoteAction,
  ENVIRONMENT_LABEL,
  promotionStep,
  renderEnvironmentSparkApplication,
} from './pipelinePromote';
import { examples } from './pipelinePromote.examples';

jest.setTimeout(120_000);

const user = (name: string): { ref: string; entity: UserEntity } => ({
  ref: `user:default/${name}`,
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: [] },
  },
});
const alice = user('alice');
const bob = user('bob');

const V2 = 'registry.example.com/pipelines/orders:v2';

/** The topic the pipelines read (dev: dev.<topic>), with ten records. */
const TOPIC = uniqueName('orders');

/**
 * A pipeline with environments dev and prod (and staging between, when
 * asked), critical above a lag of five messages.
 */
const specText = (name: string, dev: string, prod: string, staging?: string) =>
  specWithEnvironments({
    name,
    namespaces: { dev, staging, prod },
    topic: TOPIC,
    pipeline: { monitoring: { alert_on_lag_messages: 5 } },
    prod: {
      resources: { executor: { cores: 2, memory: '4g', instances: 3 } },
    },
  });

describe('streaming:pipeline:promote (real Kubernetes API server)', () => {
  const dir = createMockDirectory();
  const baseDir = join(dir.path, 'repos');
  const devNs = uniqueName('promote-dev');
  const prodNs = uniqueName('promote-prod');
  const stagingNs = uniqueName('promote-stg');
  const healthy = uniqueName('orders');
  const failing = uniqueName('failing');
  const unwell = uniqueName('unwell');
  const three = uniqueName('three');
  let k8s: TestKubernetes;
  let applier: KubernetesApplier;
  let action: ReturnType<typeof createPipelinePromoteAction>;
  let unreachable: ReturnType<typeof createPipelinePromoteAction>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const progressTopic = uniqueName('streaming.progress');

  const sparkApplication = (namespace: string, name: string) =>
    readSparkApplication(k8s, namespace, name);
  const run = (input: Record<string, unknown>, options: InvokeOptions = {}) =>
    invokeAction(action, input as never, { user: alice, ...options });

  /** The pipeline's repository and entity; its dev SparkApplication in `state`. */
  async function pipeline(name: string, state?: string, withStaging = false) {
    const text = specText(
      name,
      devNs,
      prodNs,
      withStaging ? stagingNs : undefined,
    );
    fs.mkdirSync(join(baseDir, name), { recursive: true });
    fs.writeFileSync(join(baseDir, name, 'pipeline.yaml'), text);
    if (state) {
      const spec = parsePipelineSpec(text).spec!;
      const dev = renderEnvironmentSparkApplication(spec, 'dev', {
        image: V2,
        kubernetesCluster: 'test',
      });
      await applier.apply('test', dev, {
        dryRun: false,
        fieldManager: 'backstage-streaming',
        entityRef: `component:default/${name}`,
      });
      await k8s.setSparkApplicationStatus(devNs, dev.metadata.name, {
        applicationState: { state },
        driverInfo: {},
      });
    }
    const location = `url:${
      pathToFileURL(join(baseDir, name, 'catalog-info.yaml')).href
    }`;
    // With the summary the streaming catalog module writes, which the
    // streaming backend reads the environments from.
    return pipelineEntity(name, {
      [ANNOTATION_KUBERNETES_CLUSTER]: 'test',
      [ANNOTATION_PIPELINE_SPEC]: './pipeline.yaml',
      [ANNOTATION_LOCATION]: location,
      [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify(
        toPipelineSummary(parsePipelineSpec(text).spec!),
      ),
      [ANNOTATION_PIPELINE_SUMMARY_LOCATION]: location,
    });
  }

  /** dev of pipeline `name` as the streaming backend's route reports it. */
  async function devHealth(name: string) {
    const response = await fetch(
      `http://127.0.0.1:${backend.server.port()}/api/streaming/pipelines/default/${name}/environments`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    if (!response.ok) return undefined;
    const body = (await response.json()) as {
      environments: Array<{ name: string; health: string }>;
    };
    return body.environments.find(env => env.name === 'dev')?.health;
  }

  beforeAll(async () => {
    await loadKubernetesClient();
    k8s = await TestKubernetes.start();
    const clusters = await namespacesClusterConfig(k8s, 'test', [
      devNs,
      prodNs,
      stagingNs,
    ]);
    const data = {
      kubernetes: clusters.kubernetes,
      streaming: {
        kubernetes: clusters.streaming.kubernetes,
        scaffolder: {
          localPublish: { baseDir },
          sparkApplications: { allowedNamespaces: [devNs, prodNs, stagingNs] },
        },
      },
    };
    applier = KubernetesApplier.fromConfig(mockServices.rootConfig({ data }));
    const reader = UrlReaders.create({
      config: mockServices.rootConfig({ data }),
      logger: mockServices.logger.mock(),
      factories: [
        await ServiceFactoryTester.from(localRepoUrlReaderFactory, {
          dependencies: [mockServices.rootConfig.factory({ data })],
        }).getSubject(),
      ].flat(),
    });
    const discoveryAt = (port: number) =>
      HostDiscovery.fromConfig(
        new ConfigReader({
          backend: { baseUrl: `http://127.0.0.1:${port}`, listen: { port } },
        }),
      );
    const entities = [
      await pipeline(healthy, 'RUNNING'),
      await pipeline(failing, 'FAILED'),
      await pipeline(unwell, 'RUNNING'),
      await pipeline(three, 'RUNNING', true),
    ];
    const catalog = catalogServiceMock({ entities });

    // dev.<topic> has ten records; the progress topic the jobs publish to.
    await createTopics([
      { topic: `dev.${TOPIC}`, numPartitions: 1 },
      { topic: TOPIC, numPartitions: 1 },
      { topic: progressTopic, numPartitions: 1 },
    ]);
    const producer = new Kafka({
      clientId: 'scaffolder-test',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    await producer.send({
      topic: `dev.${TOPIC}`,
      messages: Array.from({ length: 10 }, (_, i) => ({
        value: JSON.stringify({ order_id: `o-${i}` }),
      })),
    });
    // The real streaming backend, with the same catalog.
    backend = await startTestBackend({
      features: [
        streamingPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            ...data,
            streaming: {
              ...data.streaming,
              kafka: { clusters: [{ name: 'local', brokers: KAFKA_BROKERS }] },
              progressTopic,
              progressConsumerGroup: uniqueName('backstage-progress'),
              lag: { pollInterval: '1s' },
              status: { staleAfter: '10m' },
            },
          },
        }),
      ],
    });
    // dev of healthy read all ten records: ok. dev of unwell, RUNNING, has
    // read none of them: ten behind, above five, critical.
    await producer.send({
      topic: progressTopic,
      messages: [
        [healthy, 10],
        [unwell, 0],
      ].map(([name, end]) => ({
        key: `${name}@dev`,
        value: JSON.stringify(
          progressEvent(`${name}@dev`, `dev.${TOPIC}`, end as number),
        ),
      })),
    });
    await producer.disconnect();
    await waitFor(`dev of ${healthy} ok`, () => devHealth(healthy), {
      until: health => health === 'ok',
      intervalMs: 500,
    });
    await waitFor(`dev of ${unwell} critical`, () => devHealth(unwell), {
      until: health => health === 'critical',
      intervalMs: 500,
    });
    const common = { applier, catalog, reader, auth: mockServices.auth() };
    action = createPipelinePromoteAction({
      ...common,
      discovery: discoveryAt(backend.server.port()),
    });
    // Nothing listens on port 9 (discard) of this machine.
    unreachable = createPipelinePromoteAction({
      ...common,
      discovery: discoveryAt(9),
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await k8s?.deleteNamespaces(devNs, prodNs, stagingNs);
  });

  it('in dry run runs the checks and shows the plan; nothing is applied', async () => {
    const out = await run({
      entityRef: `component:default/${healthy}`,
      dryRun: true,
    });
    expect(out).toMatchObject({
      dryRun: true,
      from: 'dev',
      to: 'prod',
      image: V2,
      applied: {
        kind: 'SparkApplication',
        name: healthy,
        namespace: prodNs,
        cluster: 'test',
        result: 'created',
        dryRun: true,
      },
    });
    expect(out.checks.map((c: any) => [c.name, c.passed])).toEqual([
      ['running', true],
      ['image', true],
      ['health', true],
    ]);
    expect(out.summary).toContain('Dry run: nothing was applied');
    expect(out.summary).toContain(`${prodNs}/${healthy}`);
    expect(await sparkApplication(prodNs, healthy)).toBeUndefined();
  });

  it("promotes dev to prod: prod's SparkApplication runs dev's image with prod's resources and label; again, nothing changes", async () => {
    const out = await run({ entityRef: `component:default/${healthy}` });
    expect(out).toMatchObject({
      dryRun: false,
      from: 'dev',
      to: 'prod',
      image: V2,
      applied: { namespace: prodNs, result: 'created', dryRun: false },
    });
    const prod = await sparkApplication(prodNs, healthy);
    expect(prod.spec.image).toBe(V2);
    expect(prod.metadata.labels[ENVIRONMENT_LABEL]).toBe('prod');
    expect(prod.spec.executor).toMatchObject({ cores: 2, instances: 3 });
    expect(prod.spec.executor.memory).toMatch(/^4/);
    expect(prod.spec.driver.env).toContainEqual({
      name: 'PIPELINE_ENVIRONMENT',
      value: 'prod',
    });
    // dev is untouched.
    const dev = await sparkApplication(devNs, healthy);
    expect(dev.spec.executor).toMatchObject({ cores: 1, instances: 1 });
    expect(dev.metadata.labels[ENVIRONMENT_LABEL]).toBe('dev');

    const again = await run({ entityRef: `component:default/${healthy}` });
    expect(again.applied).toMatchObject({
      result: 'unchanged',
      resourceVersion: prod.metadata.resourceVersion,
    });
    expect(
      (await sparkApplication(prodNs, healthy)).metadata.resourceVersion,
    ).toBe(prod.metadata.resourceVersion);
  });

  it('refuses when dev is not RUNNING, naming the check; nothing is created in prod', async () => {
    const error = await run({ entityRef: `component:default/${failing}` })
      .then(() => undefined)
      .catch(e => e);
    expect(error?.name).toBe('InputError');
    expect(error.message).toContain('2 check(s) failed; nothing was changed');
    expect(error.message).toContain(
      `- running: SparkApplication ${devNs}/${failing} on Kubernetes cluster "test" is FAILED, not RUNNING`,
    );
    // The streaming backend reports a FAILED application critical.
    expect(error.message).toContain('- health: dev is critical, not ok');
    expect(await sparkApplication(prodNs, failing)).toBeUndefined();
  });

  it('refuses when the streaming backend reports dev unhealthy or cannot be reached', async () => {
    const critical = await run({ entityRef: `component:default/${unwell}` })
      .then(() => undefined)
      .catch(e => e);
    expect(critical?.message).toContain('- health: dev is critical, not ok');

    const offline = await invokeAction(
      unreachable,
      { entityRef: `component:default/${unwell}` },
      { user: alice },
    )
      .then(() => undefined)
      .catch(e => e);
    expect(offline?.message).toContain(
      '- health: the streaming backend could not be reached',
    );
    expect(await sparkApplication(prodNs, unwell)).toBeUndefined();
  });

  it('refuses a user who does not own the pipeline', async () => {
    await expect(
      run({ entityRef: `component:default/${healthy}` }, { user: bob }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('it is not promoted'),
    });
  });

  it('refuses a to that skips an environment, naming the order', async () => {
    await expect(
      run({ entityRef: `component:default/${three}`, from: 'dev', to: 'prod' }),
    ).rejects.toThrow(
      'to: promoting from dev to prod would skip staging; promotion goes one environment at a time in the order dev → staging → prod: promote from dev to staging first',
    );
    await expect(
      run({ entityRef: `component:default/${three}`, from: 'prod' }),
    ).rejects.toThrow('from: prod is the last environment');
    expect(await sparkApplication(prodNs, three)).toBeUndefined();
    expect(await sparkApplication(stagingNs, three)).toBeUndefined();
  });

  it('runs its examples (the second, a dry run, for a pipeline of its own)', async () => {
    // The first example promotes the default dev → prod; here as a dry run.
    const [first] = await runExample(
      action,
      examples[0].example.replace(
        'component:default/orders-to-delta',
        `component:default/${healthy}`,
      ),
      { user: alice, isDryRun: true },
    );
    expect(first).toMatchObject({ from: 'dev', to: 'prod', dryRun: true });
    // The second names staging: the three-environment pipeline.
    await expect(
      runExample(
        action,
        examples[1].example.replace(
          'component:default/orders-to-delta',
          `component:default/${three}`,
        ),
        { user: alice },
      ),
    ).rejects.toThrow(
      `SparkApplication ${stagingNs}/${three} on Kubernetes cluster "test" does not exist`,
    );
  });
});

describe('promotionStep', () => {
  const spec = parsePipelineSpec(specText('p', 'a', 'b', 'c')).spec!;
  it('defaults to the first environment and the next', () => {
    expect(promotionStep(spec, undefined, undefined)).toEqual({
      from: 'dev',
      to: 'staging',
    });
    expect(promotionStep(spec, 'staging', 'prod')).toEqual({
      from: 'staging',
      to: 'prod',
    });
  });
  it('refuses unknown environments and going back', () => {
    expect(() => promotionStep(spec, 'qa', undefined)).toThrow(
      'from: the pipeline has no environment "qa"; its environments in promotion order: dev → staging → prod',
    );
    expect(() => promotionStep(spec, 'staging', 'dev')).toThrow(
      'to: dev does not come after staging',
    );
  });
});
