import { mockServices } from '@backstage/backend-test-utils';
import { Entity, UserEntity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_OWNER_ENTITY,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_SPARK_APPLICATION,
  parsePipelineSpec,
} from '@internal/plugin-streaming-common';
import { loadKubernetesClient } from '@internal/plugin-streaming-node';
import {
  TestKubernetes,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { invokeAction, InvokeOptions } from '../__testUtils__/invokeAction';
import {
  applyEnvironments,
  firstEnvironmentAnnotations,
  pipelineEntity,
  specWithEnvironments,
} from '../__testUtils__/pipelineEntity';
import { runExample } from '../__testUtils__/runExample';
import {
  clustersConfig,
  createTopics,
  namespacesClusterConfig,
  readSparkApplication,
} from '../__testUtils__/testEnvironment';
import { KafkaAdmins } from '../services/KafkaAdmins/KafkaAdmins';
import { KubernetesApplier } from '../services/KubernetesApplier/KubernetesApplier';
import { readBackfillTimeToLive } from '../config/readBackfillTimeToLive';
import { createPipelineBackfillAction } from './pipelineBackfill';
import { examples } from './pipelineBackfill.examples';

jest.setTimeout(120_000);

const alice: { ref: string; entity: UserEntity } = {
  ref: 'user:default/alice',
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { memberOf: [] },
  },
};

/** The pipeline's SparkApplication spec, as the generator writes it (the parts a backfill keeps). */
const PIPELINE_SPEC = {
  type: 'Python',
  mode: 'cluster',
  image: 'registry.example.com/pipelines/orders-to-delta:1.4.2',
  sparkVersion: '4.0.0',
  mainApplicationFile: 'local:///opt/pipeline/job/main.py',
  restartPolicy: {
    type: 'Always',
    onFailureRetryInterval: 10,
    onSubmissionFailureRetryInterval: 20,
  },
  sparkConf: {
    'spark.sql.shuffle.partitions': '8',
    'spark.metrics.namespace': 'orders-to-delta',
  },
  driver: {
    cores: 1,
    memory: '2g',
    serviceAccount: 'spark',
    env: [
      { name: 'KAFKA_BOOTSTRAP_SERVERS', value: 'kafka:9092' },
      { name: 'PIPELINE_CHECKPOINT', value: 's3a://checkpoints/orders' },
    ],
  },
  executor: { cores: 2, memory: '4g', instances: 2 },
};

describe('streaming:pipeline:backfill (real Kubernetes API server)', () => {
  const namespace = uniqueName('backfill');
  // The source topic of orders-to-delta (two partitions) on the local broker.
  const sourceTopic = uniqueName('orders');
  let kafkaAdmins: KafkaAdmins;
  let k8s: TestKubernetes;
  let applier: KubernetesApplier;
  let action: ReturnType<typeof createPipelineBackfillAction>;
  let catalog: ReturnType<typeof catalogServiceMock>;

  const url = (name: string) =>
    `/apis/sparkoperator.k8s.io/v1beta2/namespaces/${namespace}/sparkapplications/${name}`;
  const read = async (name: string) => {
    const response = await k8s.request('GET', url(name));
    return response.status === 200 ? (response.body as any) : undefined;
  };

  const pipeline = (
    name: string,
    sparkApplication: string,
    summary?: object,
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      annotations: {
        [ANNOTATION_KUBERNETES_CLUSTER]: 'staging',
        [ANNOTATION_SPARK_APPLICATION]: sparkApplication,
        ...(summary
          ? { [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify(summary) }
          : {}),
      },
    },
    spec: {
      type: 'streaming-pipeline',
      lifecycle: 'production',
      owner: 'user:default/alice',
    },
  });

  const run = (input: Record<string, unknown>, options: InvokeOptions = {}) =>
    invokeAction(action, input as never, { user: alice, ...options });

  beforeAll(async () => {
    await loadKubernetesClient();
    k8s = await TestKubernetes.start();
    const clusters = await namespacesClusterConfig(k8s, 'staging', [namespace]);
    const config = clustersConfig(clusters);
    applier = KubernetesApplier.fromConfig(config);
    kafkaAdmins = KafkaAdmins.fromConfig(config, {
      logger: mockServices.logger.mock(),
    });
    await createTopics([{ topic: sourceTopic, numPartitions: 2 }]);
    // The pipeline's own SparkApplication, applied for it as the apply action does.
    await applier.apply(
      'staging',
      {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: { name: 'orders-to-delta', namespace },
        spec: PIPELINE_SPEC,
      },
      {
        dryRun: false,
        fieldManager: 'backstage-streaming',
        entityRef: 'component:default/orders-to-delta',
      },
    );
    // A SparkApplication of nobody's that another entity's annotation names.
    await k8s.ok(
      'PATCH',
      `${url('payments')}?fieldManager=someone`,
      {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: { name: 'payments', namespace },
        spec: PIPELINE_SPEC,
      },
      { contentType: 'application/apply-patch+yaml' },
    );
    catalog = catalogServiceMock({
      entities: [
        pipeline('orders-to-delta', `${namespace}/orders-to-delta`, {
          name: 'orders-to-delta',
          queryName: 'orders-to-delta',
          source: { type: 'kafka', cluster: 'local', topics: [sourceTopic] },
          sink: { type: 'delta', mode: 'append', path: '/data/delta/orders' },
          checkpoint: '/checkpoints/orders-to-delta',
          thresholds: { lagMessages: 1000 },
          resources: {
            driver: { cores: 1, memoryGb: 2 },
            executor: { cores: 2, memoryGb: 4, instances: 2 },
          },
        }),
        // Only a name: the cluster's default namespace.
        pipeline('orders-short', 'orders-to-delta'),
        pipeline('payments-copy', `${namespace}/payments`),
      ],
    });
    action = createPipelineBackfillAction({ applier, catalog, kafkaAdmins });
  });

  afterAll(async () => {
    await kafkaAdmins?.close();
    await k8s?.deleteNamespaces(namespace);
  });

  it("creates <pipeline>-backfill-<id>: the pipeline's image, resources and config, its env plus the range, restartPolicy Never; the same id again is a no-op (example)", async () => {
    const [created] = await runExample(action, examples[0].example, {
      user: alice,
    });
    const name = 'orders-to-delta-backfill-orders-fix';
    expect(created).toMatchObject({
      dryRun: false,
      sparkApplication: `${namespace}/${name}`,
      result: 'created',
      env: {
        PIPELINE_BACKFILL_ID: 'orders-fix',
        PIPELINE_BACKFILL_FROM: '{"0": 1000, "1": 1000}',
        PIPELINE_BACKFILL_TO: '{"0": 5000, "1": 5000}',
      },
    });
    expect(created.summary).toContain(`${namespace}/${name} | created`);
    const object = await read(name);
    expect(object.metadata.annotations[ANNOTATION_OWNER_ENTITY]).toBe(
      'component:default/orders-to-delta',
    );
    expect(object.metadata.labels).toEqual({
      'streaming-platform.dev/backfill-of': 'orders-to-delta',
      'streaming-platform.dev/backfill-id': 'orders-fix',
    });
    expect(object.spec).toEqual({
      ...PIPELINE_SPEC,
      restartPolicy: { type: 'Never' },
      // Deleted by the Spark Operator 7 days after it ended (the default).
      timeToLiveSeconds: 604800,
      sparkConf: {
        'spark.sql.shuffle.partitions': '8',
        'spark.metrics.namespace': name,
      },
      driver: {
        ...PIPELINE_SPEC.driver,
        env: [
          ...PIPELINE_SPEC.driver.env,
          { name: 'PIPELINE_BACKFILL_ID', value: 'orders-fix' },
          { name: 'PIPELINE_BACKFILL_FROM', value: '{"0": 1000, "1": 1000}' },
          { name: 'PIPELINE_BACKFILL_TO', value: '{"0": 5000, "1": 5000}' },
        ],
      },
    });
    // The pipeline itself is unchanged.
    expect((await read('orders-to-delta')).spec).toEqual(PIPELINE_SPEC);

    const [again] = await runExample(action, examples[0].example, {
      user: alice,
    });
    expect(again.result).toBe('exists');
    expect((await read(name)).metadata.resourceVersion).toBe(
      object.metadata.resourceVersion,
    );
  });

  it('gives the SparkApplication the configured time to live', async () => {
    const config = mockServices.rootConfig({
      data: { streaming: { scaffolder: { backfill: { timeToLive: '12h' } } } },
    });
    const shortLived = createPipelineBackfillAction({
      applier,
      catalog,
      kafkaAdmins,
      timeToLiveSeconds: readBackfillTimeToLive(
        config,
        mockServices.logger.mock(),
      ),
    });
    await invokeAction(
      shortLived,
      {
        entityRef: 'component:default/orders-to-delta',
        backfillId: 'short-lived',
        from: '{"0": 10}',
        to: '{"0": 20}',
      } as never,
      { user: alice },
    );
    expect(
      (await read('orders-to-delta-backfill-short-lived')).spec
        .timeToLiveSeconds,
    ).toBe(43200);
    expect(() =>
      readBackfillTimeToLive(
        mockServices.rootConfig({
          data: {
            streaming: { scaffolder: { backfill: { timeToLive: 'soon' } } },
          },
        }),
        mockServices.logger.mock(),
      ),
    ).toThrow(/streaming\.scaffolder\.backfill\.timeToLive/);
  });

  it('refuses another range under an id that exists, naming the difference, and changes nothing', async () => {
    await run({
      entityRef: 'component:default/orders-to-delta',
      backfillId: 'range-check',
      from: '{"0": 10}',
      to: '{"0": 20}',
    });
    const before = await read('orders-to-delta-backfill-range-check');
    await expect(
      run({
        entityRef: 'component:default/orders-to-delta',
        backfillId: 'range-check',
        from: '{"0": 10}',
        to: '{"0": 30}',
      }),
    ).rejects.toThrow(
      /already runs backfill range-check with another range \(PIPELINE_BACKFILL_TO: running "\{\\"0\\": 20\}", asked "\{\\"0\\": 30\}"\); use a new backfillId/,
    );
    expect(
      (await read('orders-to-delta-backfill-range-check')).metadata
        .resourceVersion,
    ).toBe(before.metadata.resourceVersion);
  });

  it('dry run: the API server validates the object, nothing is created', async () => {
    const out = await run(
      {
        entityRef: 'component:default/orders-to-delta',
        backfillId: 'dry',
        from: '2026-11-29T22:00:00Z',
      },
      { isDryRun: true },
    );
    expect(out).toMatchObject({ dryRun: true, result: 'would create' });
    expect(out.summary).toMatch(/^Dry run: nothing was created\./);
    expect(await read('orders-to-delta-backfill-dry')).toBeUndefined();
  });

  it('a time range without an end: up to the end of each partition when it starts (example)', async () => {
    const [out] = await runExample(action, examples[1].example, {
      user: alice,
    });
    expect(out).toMatchObject({
      result: 'created',
      env: {
        PIPELINE_BACKFILL_ID: 'since-outage',
        PIPELINE_BACKFILL_FROM: '2026-11-29T22:00:00Z',
      },
    });
    const env = (await read('orders-to-delta-backfill-since-outage')).spec
      .driver.env;
    expect(env.map((e: { name: string }) => e.name)).toEqual([
      'KAFKA_BOOTSTRAP_SERVERS',
      'PIPELINE_CHECKPOINT',
      'PIPELINE_BACKFILL_ID',
      'PIPELINE_BACKFILL_FROM',
    ]);
  });

  it('refuses offsets of partitions the source topic lacks (asked of its cluster), and creates nothing', async () => {
    await expect(
      run({
        entityRef: 'component:default/orders-to-delta',
        backfillId: 'partitions',
        from: '{"0": 0, "5": 0, "3": 0}',
      }),
    ).rejects.toThrow(
      `from: topic ${sourceTopic} on Kafka cluster "local" has no partition(s) 3, 5 (it has 2); nothing was created`,
    );
    expect(await read('orders-to-delta-backfill-partitions')).toBeUndefined();
  });

  it('refuses a user who does not own the pipeline, and creates nothing', async () => {
    await expect(
      run(
        {
          entityRef: 'component:default/orders-to-delta',
          backfillId: 'bob',
          from: '{"0": 0}',
        },
        {
          user: {
            ref: 'user:default/bob',
            entity: {
              ...alice.entity,
              metadata: { name: 'bob', namespace: 'default' },
            },
          },
        },
      ),
    ).rejects.toThrow(/user:default\/bob is not among its owners/);
    expect(await read('orders-to-delta-backfill-bob')).toBeUndefined();
  });

  it("refuses a SparkApplication that is not the pipeline's (a name without a namespace is in the cluster's default), and creates nothing", async () => {
    await expect(
      run({
        entityRef: 'component:default/payments-copy',
        backfillId: 'steal',
        from: '{"0": 0}',
      }),
    ).rejects.toThrow(
      `SparkApplication ${namespace}/payments on Kubernetes cluster "staging" belongs to no catalog entity`,
    );
    expect(await read('payments-backfill-steal')).toBeUndefined();
    await expect(
      run({
        entityRef: 'component:default/orders-short',
        backfillId: 'steal',
        from: '{"0": 0}',
      }),
    ).rejects.toThrow(
      `SparkApplication ${namespace}/orders-to-delta on Kubernetes cluster "staging" belongs to component:default/orders-to-delta, not component:default/orders-short`,
    );
    expect(await read('orders-to-delta-backfill-steal')).toBeUndefined();
  });

  it.each([
    [{ from: '{"0": 1,' }, /^from: not valid JSON/],
    [{ from: '[1]' }, /^from: must be partition offsets as JSON/],
    [{ from: '{"a": 1}' }, /^from: partition "a" is not a partition number/],
    [{ from: '{"0": -1}' }, /^from: the offset of partition 0 must be/],
    [{ from: '2026-11-30T06:00:00' }, /^from: must be partition offsets/],
    [
      { from: '{"0": 9}', to: '{"0": 5}' },
      /^from is after to for partition\(s\) 0$/,
    ],
    [
      { from: '{"0": 1}', to: '{"1": 5}' },
      /^to: must name the partitions from names \(0\)$/,
    ],
    [
      { from: '{"0": 1}', to: '2026-11-30T06:00:00Z' },
      /^to: must be of the same kind/,
    ],
    [
      { from: '2026-11-30T07:00:00Z', to: '2026-11-30T06:00:00+00:00' },
      /^from is after to$/,
    ],
    [
      { backfillId: 'Bad_Id', from: '{"0": 1}' },
      /backfillId: expected 1 to 32/,
    ],
  ])(
    'refuses a bad range or id before any request: %j',
    async (input, message) => {
      await expect(
        run({
          entityRef: 'component:default/orders-to-delta',
          backfillId: 'bad',
          ...input,
        }),
      ).rejects.toThrow(message);
    },
  );
});

describe('streaming:pipeline:backfill of a pipeline with environments (real Kubernetes API server)', () => {
  const devNs = uniqueName('backfill-dev');
  const prodNs = uniqueName('backfill-prod');
  // The name the third example names (its namespaces are this test's own).
  const pipelineName = 'orders-envs';
  const entityRef = `component:default/${pipelineName}`;
  // The source topic as the spec writes it: prod reads it (one partition),
  // dev reads dev.<topic> (two partitions).
  const topic = uniqueName('orders');
  let kafkaAdmins: KafkaAdmins;
  let k8s: TestKubernetes;
  let action: ReturnType<typeof createPipelineBackfillAction>;

  const read = (ns: string, name: string) =>
    readSparkApplication(k8s, ns, name);
  const run = (input: Record<string, unknown>, options: InvokeOptions = {}) =>
    invokeAction(action, { entityRef, ...input } as never, {
      user: alice,
      ...options,
    });
  const spec = () =>
    parsePipelineSpec(
      specWithEnvironments({
        name: pipelineName,
        namespaces: { dev: devNs, prod: prodNs },
        topic,
      }),
    ).spec!;
  /** The driver's variables as name → value. */
  const driverEnv = (object: any): Record<string, string> =>
    Object.fromEntries(
      (object.spec.driver.env as Array<{ name: string; value?: string }>)
        .filter(e => e.value !== undefined)
        .map(e => [e.name, e.value!]),
    );

  beforeAll(async () => {
    await loadKubernetesClient();
    k8s = await TestKubernetes.start();
    const clusters = await namespacesClusterConfig(k8s, 'staging', [
      devNs,
      prodNs,
    ]);
    const config = clustersConfig(clusters, {
      scaffolder: { sparkApplications: { allowedNamespaces: [devNs, prodNs] } },
    });
    const applier = KubernetesApplier.fromConfig(config);
    kafkaAdmins = KafkaAdmins.fromConfig(config, {
      logger: mockServices.logger.mock(),
    });
    await createTopics([
      { topic: `dev.${topic}`, numPartitions: 2 },
      { topic, numPartitions: 1 },
    ]);
    // Each environment's SparkApplication, deploy/<environment>/ as the
    // generator renders it, applied as Create and Promote apply it.
    await applyEnvironments(applier, spec(), {
      cluster: 'staging',
      entityRef,
      files: /^deploy\/(dev|prod)\/spark-application\.yaml$/,
    });
    const catalog = catalogServiceMock({
      entities: [
        // The annotations the generator writes: the first environment's.
        pipelineEntity(
          pipelineName,
          firstEnvironmentAnnotations(spec(), 'staging'),
        ),
      ],
    });
    action = createPipelineBackfillAction({ applier, catalog, kafkaAdmins });
  });

  afterAll(async () => {
    await kafkaAdmins?.close();
    await k8s?.deleteNamespaces(devNs, prodNs);
  });

  it('runs in the first environment by default: in its namespace, with its variables (prefixed topic, tables, checkpoint) and PIPELINE_ENVIRONMENT', async () => {
    const name = `${pipelineName}-backfill-dev-fix`;
    const output = await run({ backfillId: 'dev-fix', from: '{"1": 0}' });
    expect(output).toMatchObject({
      sparkApplication: `${devNs}/${name}`,
      result: 'created',
      environment: 'dev',
    });
    expect(output.summary).toContain(
      `progress key ${pipelineName}@dev-backfill-dev-fix`,
    );
    const object = await read(devNs, name);
    expect(object.metadata.labels).toEqual({
      'streaming-platform.dev/backfill-of': pipelineName,
      'streaming-platform.dev/backfill-id': 'dev-fix',
      'streaming-platform.dev/environment': 'dev',
    });
    expect(driverEnv(object)).toEqual({
      PIPELINE_ENVIRONMENT: 'dev',
      PIPELINE_SOURCE_TOPIC: `dev.${topic}`,
      PIPELINE_CHECKPOINT: `/checkpoints/dev_${pipelineName}`,
      PIPELINE_SINK_PATH: '/data/delta/dev_orders',
      PIPELINE_BACKFILL_ID: 'dev-fix',
      PIPELINE_BACKFILL_FROM: '{"1": 0}',
    });
    expect(object.spec.restartPolicy).toEqual({ type: 'Never' });
    expect(await read(prodNs, name)).toBeUndefined();
  });

  it("runs in the environment named: prod's namespace and variables; offsets are checked against prod's topic (example)", async () => {
    // prod's topic has one partition: partition 1 is dev's only.
    await expect(
      run({ backfillId: 'prod-fix', from: '{"1": 0}', environment: 'prod' }),
    ).rejects.toThrow(
      `from: topic ${topic} (environment prod) on Kafka cluster "local" has no partition(s) 1 (it has 1); nothing was created`,
    );
    const name = `${pipelineName}-backfill-prod-fix`;
    const [output] = await runExample(action, examples[2].example, {
      user: alice,
    });
    expect(output).toMatchObject({
      sparkApplication: `${prodNs}/${name}`,
      result: 'created',
      environment: 'prod',
    });
    const object = await read(prodNs, name);
    // prod runs the spec's own values: only the environment's name differs.
    expect(driverEnv(object)).toEqual({
      PIPELINE_ENVIRONMENT: 'prod',
      PIPELINE_BACKFILL_ID: 'prod-fix',
      PIPELINE_BACKFILL_FROM: '{"0": 0}',
    });
    expect(object.metadata.labels['streaming-platform.dev/environment']).toBe(
      'prod',
    );
    expect(await read(devNs, name)).toBeUndefined();
  });

  it('refuses an environment the pipeline does not declare, naming those it does, and creates nothing', async () => {
    await expect(
      run({ backfillId: 'stg-fix', from: '{"0": 0}', environment: 'staging' }),
    ).rejects.toThrow(
      `environment: ${entityRef} has no environment "staging"; it declares dev, prod`,
    );
    for (const ns of [devNs, prodNs]) {
      expect(
        await read(ns, `${pipelineName}-backfill-stg-fix`),
      ).toBeUndefined();
    }
  });
});
