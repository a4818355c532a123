import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity, UserEntity } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_TOPIC,
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_PIPELINE_SUMMARY,
  ANNOTATION_SPARK_APPLICATION,
  parsePipelineSpec,
  PipelineSummary,
} from '@internal/plugin-streaming-common';
import { loadKubernetesClient } from '@internal/plugin-streaming-node';
import {
  TestKubernetes,
  uniqueName,
} from '@internal/plugin-streaming-node/testUtils';
import { Admin, Kafka, logLevel } from 'kafkajs';
import fs from 'node:fs';
import { invokeAction, InvokeOptions } from '../__testUtils__/invokeAction';
import {
  applyEnvironments,
  firstEnvironmentAnnotations,
  specWithEnvironments,
} from '../__testUtils__/pipelineEntity';
import { runExample } from '../__testUtils__/runExample';
import {
  clustersConfig,
  KAFKA_BROKERS,
  namespacesClusterConfig,
  SPARK_APPLICATION_APPLY_RULES,
} from '../__testUtils__/testEnvironment';
import { KafkaAdmins } from '../services/KafkaAdmins/KafkaAdmins';
import { KubernetesApplier } from '../services/KubernetesApplier/KubernetesApplier';
import { createPipelineDecommissionAction } from './pipelineDecommission';
import { examples } from './pipelineDecommission.examples';

jest.setTimeout(120_000);

/** What the action needs beyond apply's rules (README): list and delete. */
const DECOMMISSION_RULES = SPARK_APPLICATION_APPLY_RULES.map(rule => ({
  ...rule,
  verbs: [...rule.verbs, 'list', 'delete'],
}));

const alice: { ref: string; entity: UserEntity } = {
  ref: 'user:default/alice',
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { memberOf: [] },
  },
};

function summary(name: string, checkpoint: string): PipelineSummary {
  return {
    name,
    queryName: name,
    source: { type: 'kafka', cluster: 'local', topics: ['orders'] },
    sink: { type: 'delta', mode: 'append', path: `/data/delta/${name}` },
    checkpoint,
    thresholds: { lagMessages: 1000 },
    resources: {
      driver: { cores: 1, memoryGb: 2 },
      executor: { cores: 2, memoryGb: 4, instances: 2 },
    },
  };
}

describe('streaming:pipeline:decommission (real Kubernetes API server and Kafka broker)', () => {
  const dir = createMockDirectory();
  const namespace = uniqueName('decommission');
  /** The namespace of the pipeline with environments' prod. */
  const second = uniqueName('decommission-prod');
  /** A pipeline with environments dev (in namespace) and prod (in second). */
  const envs = uniqueName('orders-envs');
  const envsRef = `component:default/${envs}`;
  const deadLetter = `${envs}.dead-letter`;
  const ordersOut = uniqueName('orders-out');
  const enrichedOut = uniqueName('orders-enriched-out');
  let k8s: TestKubernetes;
  let applier: KubernetesApplier;
  let kafkaAdmins: KafkaAdmins;
  let admin: Admin;
  let catalog: ReturnType<typeof catalogServiceMock>;
  let action: ReturnType<typeof createPipelineDecommissionAction>;
  const removedLocations: string[] = [];

  const url = (plural: string, name: string, ns = namespace) =>
    `/apis/${
      plural === 'prometheusrules'
        ? 'monitoring.coreos.com/v1'
        : 'sparkoperator.k8s.io/v1beta2'
    }/namespaces/${ns}/${plural}/${name}`;
  const exists = async (plural: string, name: string, ns = namespace) =>
    (await k8s.request('GET', url(plural, name, ns))).status === 200;

  /** The spec of the pipeline with environments: dev's topics and tables prefixed. */
  const envsSpec = () =>
    parsePipelineSpec(
      specWithEnvironments({
        name: envs,
        namespaces: { dev: namespace, prod: second },
        pipeline: {
          sink: {
            type: 'delta',
            path: `/data/delta/${envs}`,
            mode: 'append',
            checkpoint: `${dir.path}/checkpoints/${envs}`,
          },
          dead_letter: { type: 'kafka', topic: deadLetter },
        },
      }),
    ).spec!;

  const pipeline = (
    name: string,
    outputs: string[],
    checkpoint: string,
    sparkApplication = `${namespace}/${name}`,
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
        [ANNOTATION_PIPELINE_SUMMARY]: JSON.stringify(
          summary(name, checkpoint),
        ),
      },
    },
    spec: {
      type: 'streaming-pipeline',
      lifecycle: 'production',
      owner: 'user:default/alice',
    },
    relations: outputs.map(targetRef => ({
      type: 'dependencyOf',
      targetRef,
    })),
  });
  const topicEntity = (
    name: string,
    topic: string,
    writer: string,
    readers: string[],
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      annotations: {
        [ANNOTATION_KAFKA_TOPIC]: topic,
        [ANNOTATION_KAFKA_CLUSTER]: 'local',
      },
    },
    spec: { type: 'kafka-topic', owner: 'user:default/alice' },
    relations: [
      { type: 'dependsOn', targetRef: writer },
      ...readers.map(targetRef => ({ type: 'dependencyOf', targetRef })),
    ],
  });

  /** Applies an object as the apply action does, for `entityRef` (none: no owner annotation). */
  async function create(
    kind: string,
    name: string,
    entityRef: string | undefined,
  ) {
    const apiVersion =
      kind === 'PrometheusRule'
        ? 'monitoring.coreos.com/v1'
        : 'sparkoperator.k8s.io/v1beta2';
    const specs: Record<string, object> = {
      PrometheusRule: { groups: [] },
      ScheduledSparkApplication: {
        schedule: '@daily',
        template: {
          type: 'Python',
          mode: 'cluster',
          sparkVersion: '4.0.0',
          mainApplicationFile: 'local:///opt/pipeline/maintenance.py',
          driver: { serviceAccount: 'spark' },
          executor: { instances: 1 },
        },
      },
      SparkApplication: {
        type: 'Python',
        mode: 'cluster',
        sparkVersion: '4.0.0',
        mainApplicationFile: 'local:///opt/pipeline/job.py',
        driver: { cores: 1, memory: '1g', serviceAccount: 'spark' },
        executor: { cores: 1, memory: '1g', instances: 1 },
      },
    };
    const spec = specs[kind];
    const manifest = { apiVersion, kind, metadata: { name, namespace }, spec };
    if (entityRef) {
      await applier.apply('staging', manifest, {
        dryRun: false,
        fieldManager: 'backstage-streaming',
        entityRef,
      });
    } else {
      await k8s.ok(
        'PATCH',
        `${url(
          kind === 'PrometheusRule'
            ? 'prometheusrules'
            : `${kind.toLowerCase()}s`,
          name,
        )}?fieldManager=someone`,
        manifest,
        { contentType: 'application/apply-patch+yaml' },
      );
    }
  }

  const run = (input: Record<string, unknown>, options: InvokeOptions = {}) =>
    invokeAction(action, input as never, { user: alice, ...options });

  beforeAll(async () => {
    await loadKubernetesClient();
    k8s = await TestKubernetes.start();
    const clusters = await namespacesClusterConfig(
      k8s,
      'staging',
      [namespace, second],
      DECOMMISSION_RULES,
    );
    const config = clustersConfig(clusters, {
      scaffolder: {
        sparkApplications: { allowedNamespaces: [namespace, second] },
      },
    });
    applier = KubernetesApplier.fromConfig(config);
    kafkaAdmins = KafkaAdmins.fromConfig(config, {
      logger: mockServices.logger.mock(),
    });
    admin = new Kafka({
      clientId: 'decommission-test',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [ordersOut, enrichedOut, `dev.${deadLetter}`, deadLetter].map(
        topic => ({ topic }),
      ),
      waitForLeaders: true,
    });

    dir.setContent({
      checkpoints: {
        orders: { metadata: '{}' },
        [envs]: { metadata: '{}' },
        [`dev_${envs}`]: { metadata: '{}' },
      },
    });
    const entities = [
      pipeline(
        'orders-to-delta',
        ['resource:default/orders-out'],
        `${dir.path}/checkpoints/orders`,
      ),
      topicEntity(
        'orders-out',
        ordersOut,
        'component:default/orders-to-delta',
        [],
      ),
      pipeline(
        'orders-enriched',
        ['resource:default/orders-enriched-out'],
        `${dir.path}/checkpoints/enriched`,
      ),
      // Its SparkApplication annotation names no namespace: the cluster's default.
      pipeline(
        'orders-escape',
        [],
        `${dir.path}/checkpoints/../../escape`,
        'orders-escape',
      ),
      // Its summary annotation is not the platform's JSON: the checkpoint is unknown.
      {
        ...pipeline('orders-unread', [], `${dir.path}/checkpoints/unread`),
        metadata: {
          name: 'orders-unread',
          namespace: 'default',
          uid: 'uid-orders-unread',
          annotations: {
            [ANNOTATION_KUBERNETES_CLUSTER]: 'staging',
            [ANNOTATION_SPARK_APPLICATION]: `${namespace}/orders-unread`,
            [ANNOTATION_PIPELINE_SUMMARY]: '{not json',
          },
        },
      },
      topicEntity(
        'orders-enriched-out',
        enrichedOut,
        'component:default/orders-enriched',
        ['component:default/orders-alerts'],
      ),
      // As the catalog module registers it: the annotations the generator
      // writes for the first environment, the summary with every one's.
      {
        ...pipeline(envs, [], ''),
        metadata: {
          name: envs,
          namespace: 'default',
          uid: `uid-${envs}`,
          annotations: firstEnvironmentAnnotations(envsSpec(), 'staging'),
        },
      },
      topicEntity('envs-dev-dead-letter', `dev.${deadLetter}`, envsRef, []),
      // prod's dead-letter topic, read by another pipeline.
      topicEntity('envs-prod-dead-letter', deadLetter, envsRef, [
        'component:default/dead-letter-replay',
      ]),
    ];
    catalog = catalogServiceMock({ entities });
    // The in-memory catalog has no locations: each pipeline was registered
    // from its own catalog-info.yaml; removing the location removes it.
    catalog.getLocationByEntity = async ref => {
      const name = String(ref).split('/')[1];
      return (await catalog.getEntityByRef(String(ref), undefined as never))
        ? {
            id: `location-${name}`,
            entityRef: `location:default/generated-${name}`,
            type: 'url',
            target: `https://git.example.com/data/${name}/catalog-info.yaml`,
          }
        : undefined;
    };
    catalog.removeLocationById = async id => {
      removedLocations.push(id);
      await catalog.removeEntityByUid(`uid-${id.replace('location-', '')}`);
    };
    action = createPipelineDecommissionAction({
      applier,
      kafkaAdmins,
      catalog,
      checkpointRoots: [dir.path],
    });

    for (const name of ['orders-to-delta', 'orders-enriched']) {
      await create('SparkApplication', name, `component:default/${name}`);
    }
    await create(
      'ScheduledSparkApplication',
      'orders-to-delta-maintenance',
      'component:default/orders-to-delta',
    );
    await create(
      'PrometheusRule',
      'orders-to-delta',
      'component:default/orders-to-delta',
    );
    // Same namespace, not the pipeline's: another entity's, and nobody's.
    await create(
      'SparkApplication',
      'orders-to-delta-copy',
      'component:default/someone-else',
    );
    await create('PrometheusRule', 'orders-hand-made', undefined);

    // Each environment's objects as the generator renders them in
    // deploy/<environment>/, applied as Create and Promote apply them.
    await applyEnvironments(applier, envsSpec(), {
      cluster: 'staging',
      entityRef: envsRef,
      files: /^deploy\/(dev|prod)\/.*\.yaml$/,
    });
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics: [enrichedOut] }).catch(() => undefined);
    await admin?.disconnect();
    await kafkaAdmins?.close();
    await admin
      ?.deleteTopics({ topics: [`dev.${deadLetter}`, deadLetter] })
      .catch(() => undefined);
    await k8s?.deleteNamespaces(namespace, second);
  });

  const full = {
    entityRef: 'component:default/orders-to-delta',
    confirmation: 'orders-to-delta',
    deleteTopics: true,
    deleteCheckpoint: true,
  };

  async function everythingStillThere() {
    expect(await exists('sparkapplications', 'orders-to-delta')).toBe(true);
    expect(
      await exists('scheduledsparkapplications', 'orders-to-delta-maintenance'),
    ).toBe(true);
    expect(await exists('prometheusrules', 'orders-to-delta')).toBe(true);
    expect(await exists('sparkapplications', 'orders-enriched')).toBe(true);
    expect(await admin.listTopics()).toEqual(
      expect.arrayContaining([ordersOut, enrichedOut]),
    );
    expect(fs.existsSync(`${dir.path}/checkpoints/orders`)).toBe(true);
    expect(
      await catalog.getEntityByRef(
        'component:default/orders-to-delta',
        undefined as never,
      ),
    ).toBeDefined();
    expect(removedLocations).toEqual([]);
  }

  it('refuses a confirmation that is not the pipeline name, and changes nothing', async () => {
    await expect(
      run({ ...full, confirmation: 'orders-to-delt' }),
    ).rejects.toThrow(
      new InputError(
        'confirmation: type the pipeline\'s name "orders-to-delta" to decommission it; nothing was changed',
      ),
    );
    await everythingStillThere();
  });

  it('dry run lists each object and what would happen, and changes nothing', async () => {
    const output = await run(full, { isDryRun: true });
    expect(output.dryRun).toBe(true);
    expect(output.objects).toEqual([
      {
        type: 'SparkApplication',
        name: `${namespace}/orders-to-delta`,
        result: 'would delete',
      },
      {
        type: 'ScheduledSparkApplication',
        name: `${namespace}/orders-to-delta-maintenance`,
        result: 'would delete',
      },
      {
        type: 'PrometheusRule',
        name: `${namespace}/orders-to-delta`,
        result: 'would delete',
      },
      {
        type: 'KafkaTopic',
        name: `local/${ordersOut}`,
        result: 'would delete',
      },
      {
        type: 'Checkpoint',
        name: `${dir.path}/checkpoints/orders`,
        result: 'would delete',
      },
      {
        type: 'DeltaTable',
        name: '/data/delta/orders-to-delta',
        result: 'kept',
        detail: 'tables are kept; archive or drop them by hand',
      },
      {
        type: 'CatalogLocation',
        name: 'url:https://git.example.com/data/orders-to-delta/catalog-info.yaml',
        result: 'would unregister',
      },
    ]);
    await everythingStillThere();
  });

  it('refuses to delete a topic another pipeline reads, and deletes nothing (example)', async () => {
    await expect(
      runExample(action, examples[1].example, { user: alice }),
    ).rejects.toThrow(
      new NotAllowedError(
        `Kafka topics other pipelines read are not deleted: ${enrichedOut} (read by component:default/orders-alerts); nothing was changed (run again without deleteTopics to keep the topics)`,
      ),
    );
    await everythingStillThere();
  });

  it("keeps a checkpoint that is not under streaming.scaffolder.decommission.checkpointRoots; a SparkApplication annotation without a namespace means the cluster's default", async () => {
    const output = await run(
      {
        entityRef: 'component:default/orders-escape',
        confirmation: 'orders-escape',
        deleteCheckpoint: true,
      },
      { isDryRun: true },
    );
    expect(output.objects[0]).toEqual({
      type: 'Checkpoint',
      name: `${dir.path}/checkpoints/../../escape`,
      result: 'kept',
      detail:
        'not under streaming.scaffolder.decommission.checkpointRoots; delete it by hand',
    });
  });

  it('says the checkpoint is unknown, and keeps it, when the summary annotation cannot be read', async () => {
    const output = await run(
      {
        entityRef: 'component:default/orders-unread',
        confirmation: 'orders-unread',
        deleteCheckpoint: true,
      },
      { isDryRun: true },
    );
    expect(output.objects[0]).toEqual({
      type: 'Checkpoint',
      name: 'unknown',
      result: 'kept',
      detail: `the pipeline's ${ANNOTATION_PIPELINE_SUMMARY} annotation is missing or unreadable, so its checkpoint is unknown; find and delete it by hand`,
    });
  });

  it('refuses a user who does not own the pipeline', async () => {
    await expect(
      run(full, {
        user: {
          ref: 'user:default/bob',
          entity: {
            ...alice.entity,
            metadata: { name: 'bob', namespace: 'default' },
          },
        },
      }),
    ).rejects.toThrow(/user:default\/bob is not among its owners/);
    await everythingStillThere();
  });

  it("deletes exactly the pipeline's objects, its output topic and checkpoint, keeps its table, unregisters it; a second run finds nothing left (example)", async () => {
    const output = await run(full);
    expect(output.dryRun).toBe(false);
    expect(
      (output.objects as Array<{ type: string; result: string }>).map(
        o => `${o.type} ${o.result}`,
      ),
    ).toEqual([
      'SparkApplication deleted',
      'ScheduledSparkApplication deleted',
      'PrometheusRule deleted',
      'KafkaTopic deleted',
      'Checkpoint deleted',
      'DeltaTable kept',
      'CatalogLocation unregistered',
    ]);
    expect(await exists('sparkapplications', 'orders-to-delta')).toBe(false);
    expect(
      await exists('scheduledsparkapplications', 'orders-to-delta-maintenance'),
    ).toBe(false);
    expect(await exists('prometheusrules', 'orders-to-delta')).toBe(false);
    // Not the pipeline's: untouched.
    expect(await exists('sparkapplications', 'orders-to-delta-copy')).toBe(
      true,
    );
    expect(await exists('prometheusrules', 'orders-hand-made')).toBe(true);
    expect(await exists('sparkapplications', 'orders-enriched')).toBe(true);
    const topics = await admin.listTopics();
    expect(topics).not.toContain(ordersOut);
    expect(topics).toContain(enrichedOut);
    expect(fs.existsSync(`${dir.path}/checkpoints/orders`)).toBe(false);
    expect(removedLocations).toEqual(['location-orders-to-delta']);

    const [again] = await runExample(action, examples[0].example, {
      user: alice,
    });
    expect(again.objects).toEqual([]);
    const onCluster = await run({ ...full, cluster: 'staging' });
    expect(onCluster.objects).toEqual([]);
  });

  describe('a pipeline whose spec declares environments', () => {
    const envsInput = {
      entityRef: envsRef,
      confirmation: envs,
      deleteTopics: true,
      deleteCheckpoint: true,
    };
    /** Each environment's objects: [plural, name, namespace]. */
    const envObjects = () =>
      [namespace, second].flatMap(ns => [
        ['sparkapplications', envs, ns],
        ['scheduledsparkapplications', `${envs}-maint`, ns],
        ['prometheusrules', `${envs}-alerts`, ns],
      ]) as Array<[string, string, string]>;
    const planOf = (
      env: string,
      ns: string,
      topicPrefix: string,
      prefix: string,
    ) => [
      {
        environment: env,
        type: 'SparkApplication',
        name: `${ns}/${envs}`,
        result: 'would delete',
      },
      {
        environment: env,
        type: 'ScheduledSparkApplication',
        name: `${ns}/${envs}-maint`,
        result: 'would delete',
      },
      {
        environment: env,
        type: 'PrometheusRule',
        name: `${ns}/${envs}-alerts`,
        result: 'would delete',
      },
      {
        environment: env,
        type: 'KafkaTopic',
        name: `local/${topicPrefix}${deadLetter}`,
        result: 'would delete',
      },
      {
        environment: env,
        type: 'Checkpoint',
        name: `${dir.path}/checkpoints/${prefix}${envs}`,
        result: 'would delete',
      },
      {
        environment: env,
        type: 'DeltaTable',
        name: `/data/delta/${prefix}${envs}`,
        result: 'kept',
        detail: 'tables are kept; archive or drop them by hand',
      },
    ];

    it("dry run shows each environment's objects, topics and checkpoint in its own namespace, and changes nothing", async () => {
      // prod's dead-letter topic is read by nobody else in this run.
      const output = await run(
        { ...envsInput, deleteTopics: false },
        { isDryRun: true },
      );
      expect(output.objects).toEqual([
        ...planOf('dev', namespace, 'dev.', 'dev_').filter(
          o => o.type !== 'KafkaTopic',
        ),
        ...planOf('prod', second, '', '').filter(o => o.type !== 'KafkaTopic'),
        {
          type: 'CatalogLocation',
          name: `url:https://git.example.com/data/${envs}/catalog-info.yaml`,
          result: 'would unregister',
        },
      ]);
      expect(output.summary).toContain(
        `| prod | SparkApplication | ${second}/${envs} | would delete |`,
      );
      for (const [plural, name, ns] of envObjects()) {
        expect(await exists(plural, name, ns)).toBe(true);
      }
    });

    it("refuses to delete an environment's topic another pipeline reads, and changes nothing", async () => {
      await expect(run(envsInput)).rejects.toThrow(
        new NotAllowedError(
          `Kafka topics other pipelines read are not deleted: ${deadLetter} (prod; read by component:default/dead-letter-replay); nothing was changed (run again without deleteTopics to keep the topics)`,
        ),
      );
      for (const [plural, name, ns] of envObjects()) {
        expect(await exists(plural, name, ns)).toBe(true);
      }
      expect(await admin.listTopics()).toEqual(
        expect.arrayContaining([`dev.${deadLetter}`, deadLetter]),
      );
    });

    it("retires it in every environment: each one's objects in its namespace, topics with its prefix and checkpoint", async () => {
      // The reader is gone: prod's topic may go too.
      await catalog.removeEntityByUid('uid-envs-prod-dead-letter');
      const plan = await run(envsInput, { isDryRun: true });
      expect(plan.objects.slice(0, -1)).toEqual([
        ...planOf('dev', namespace, 'dev.', 'dev_'),
        ...planOf('prod', second, '', ''),
      ]);

      const output = await run(envsInput);
      expect(
        (
          output.objects as Array<{
            environment?: string;
            type: string;
            result: string;
          }>
        ).map(o => `${o.environment ?? '-'} ${o.type} ${o.result}`),
      ).toEqual([
        ...['dev', 'prod'].flatMap(env => [
          `${env} SparkApplication deleted`,
          `${env} ScheduledSparkApplication deleted`,
          `${env} PrometheusRule deleted`,
          `${env} KafkaTopic deleted`,
          `${env} Checkpoint deleted`,
          `${env} DeltaTable kept`,
        ]),
        '- CatalogLocation unregistered',
      ]);
      for (const [plural, name, ns] of envObjects()) {
        expect(await exists(plural, name, ns)).toBe(false);
      }
      const topics = await admin.listTopics();
      expect(topics).not.toContain(`dev.${deadLetter}`);
      expect(topics).not.toContain(deadLetter);
      expect(fs.existsSync(`${dir.path}/checkpoints/dev_${envs}`)).toBe(false);
      expect(fs.existsSync(`${dir.path}/checkpoints/${envs}`)).toBe(false);
      expect(removedLocations).toContain(`location-${envs}`);
      // Other pipelines' objects in those namespaces are untouched.
      expect(await exists('prometheusrules', 'orders-hand-made')).toBe(true);
      expect(await exists('sparkapplications', 'orders-to-delta-copy')).toBe(
        true,
      );
    });
  });
});
